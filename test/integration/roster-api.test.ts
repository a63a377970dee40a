import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createDistrictWithKey } from '../support/fixtures';
import { applyChunk, beginRosterRun, stagedRosterRows } from '../support/roster';
import { startTestSystem, type TestSystem } from '../support/system';

/** API.md "Roster set-up": schools, orders, association, and the roster fields of a student. */
describe('roster set-up API', () => {
  let system: TestSystem;
  let key = '';
  let districtId = '';
  let otherKey = '';

  before(async () => {
    system = await startTestSystem();
    ({ key, districtId } = await createDistrictWithKey(system, 'Roster USD'));
    ({ key: otherKey } = await createDistrictWithKey(system, 'Other USD'));
  });
  after(() => system?.stop());

  const as = (k: string) => ({ key: k });
  const post = (path: string, body: unknown, k = key) => system.call('POST', path, { key: k, body });
  const get = (path: string, k = key) => system.call('GET', path, { key: k });

  it('creates schools and lists them; a code is unique per district and validated', async () => {
    const created = await post('/api/schools', { code: 'LHS', name: 'Lincoln High' });
    assert.equal(created.status, 201, created.text);
    assert.deepEqual(created.body, { code: 'LHS', name: 'Lincoln High' });
    await post('/api/schools', { code: 'WMS', name: 'Washington Middle' });
    assert.deepEqual((await get('/api/schools')).body, [
      { code: 'LHS', name: 'Lincoln High' },
      { code: 'WMS', name: 'Washington Middle' },
    ]);
    const again = await post('/api/schools', { code: 'LHS', name: 'Other' });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'SCHOOL_CODE_TAKEN');
    const bad = await post('/api/schools', { code: 'L,HS', name: 'x' });
    assert.equal(bad.status, 422);
    assert.equal(bad.body.error.details[0].field, 'code');
    // the same code in another district is that district's own school
    assert.equal((await post('/api/schools', { code: 'LHS', name: 'Theirs' }, otherKey)).status, 201);
  });

  it('creates the enterprise order (no school: its free licences are the holding bin); a second one is 409', async () => {
    const created = await post('/api/orders', { kind: 'enterprise', licenses: 3 });
    assert.equal(created.status, 201, created.text);
    assert.deepEqual({ ...created.body, id: typeof created.body.id }, { id: 'string', kind: 'enterprise', schoolCode: null, purchased: 3, held: 0, free: 3 });
    const second = await post('/api/orders', { kind: 'enterprise', licenses: 5 });
    assert.equal(second.status, 409);
    assert.equal(second.body.error.code, 'ENTERPRISE_ORDER_EXISTS');
    const withSchool = await post('/api/orders', { kind: 'enterprise', schoolCode: 'LHS', licenses: 1 }, otherKey);
    assert.equal(withSchool.status, 422);
    assert.equal(withSchool.body.error.details[0].field, 'schoolCode');
  });

  it('a regular order names an existing school of the district (422 otherwise, naming the field)', async () => {
    const missing = await post('/api/orders', { kind: 'regular', licenses: 2 });
    assert.equal(missing.status, 422);
    assert.equal(missing.body.error.details[0].field, 'schoolCode');
    const unknown = await post('/api/orders', { kind: 'regular', schoolCode: 'NOPE', licenses: 2 });
    assert.equal(unknown.status, 422);
    assert.equal(unknown.body.error.code, 'SCHOOL_NOT_FOUND');
    assert.equal(unknown.body.error.details[0].field, 'schoolCode');
    const badLicenses = await post('/api/orders', { kind: 'regular', schoolCode: 'LHS', licenses: -1 });
    assert.equal(badLicenses.status, 422);
    assert.equal(badLicenses.body.error.details[0].field, 'licenses');
    const created = await post('/api/orders', { kind: 'regular', schoolCode: 'WMS', licenses: 1 });
    assert.equal(created.status, 201, created.text);
    assert.deepEqual({ ...created.body, id: undefined }, { id: undefined, kind: 'regular', schoolCode: 'WMS', purchased: 1, held: 0, free: 1 });
  });

  it('associates students: an active one takes a licence (409 MISSING_LICENSES when none is free); moving one gives its old order the licence back', async () => {
    await system.call('PUT', '/api/students', { key, body: ['s1', 's2', 's3'].map((n) => ({ studentNumber: n, firstName: 'F', lastName: n })) });
    const orders = (await get('/api/orders')).body as { id: string; kind: string }[];
    const enterprise = orders.find((o) => o.kind === 'enterprise')!.id;
    const regular = orders.find((o) => o.kind === 'regular')!.id;

    const first = await post(`/api/orders/${regular}/students`, { studentNumber: 's1', status: 'active' });
    assert.equal(first.status, 200, first.text);
    assert.deepEqual({ ...first.body, order: first.body.order.free }, { studentNumber: 's1', status: 'active', orderId: regular, order: 0 });

    const none = await post(`/api/orders/${regular}/students`, { studentNumber: 's2', status: 'active' });
    assert.equal(none.status, 409);
    assert.equal(none.body.error.code, 'MISSING_LICENSES');

    const deactivated = await post(`/api/orders/${regular}/students`, { studentNumber: 's2', status: 'deactivated' });
    assert.equal(deactivated.status, 200, 'a deactivated student needs no licence');

    const moved = await post(`/api/orders/${enterprise}/students`, { studentNumber: 's1', status: 'active' });
    assert.equal(moved.status, 200, moved.text);
    const counts = Object.fromEntries(((await get('/api/orders')).body as { kind: string; purchased: number; held: number; free: number }[]).map((o) => [o.kind, [o.purchased, o.held, o.free]]));
    assert.deepEqual(counts, { enterprise: [3, 1, 2], regular: [1, 0, 1] }, 'the regular order has its licence back');

    // re-associating with the same order changes nothing
    assert.equal((await post(`/api/orders/${enterprise}/students`, { studentNumber: 's1', status: 'active' })).body.order.held, 1);
    const unknownStudent = await post(`/api/orders/${enterprise}/students`, { studentNumber: 'nobody', status: 'active' });
    assert.equal(unknownStudent.status, 404);
    const badStatus = await post(`/api/orders/${enterprise}/students`, { studentNumber: 's3', status: 'A' });
    assert.equal(badStatus.status, 422);
    assert.equal(badStatus.body.error.details[0].field, 'status');
  });

  it('GET /api/students/:studentNumber returns the roster fields a roster import wrote', async () => {
    const { runId, runFileId } = await beginRosterRun(system.db, districtId, 'run');
    const result = await applyChunk(system.db, { districtId, runId, runFileId, mode: 'run', rows: stagedRosterRows(['LHS,s9,Lopez,Ana,K,03/14/2019,alopez,A']) });
    assert.deepEqual(result.summary, { added: 1, updated: 0, activated: 0, deactivated: 0, errors: 0 });
    const enterprise = ((await get('/api/orders')).body as { id: string; kind: string }[]).find((o) => o.kind === 'enterprise')!.id;
    const student = await get('/api/students/s9');
    assert.equal(student.status, 200, student.text);
    assert.deepEqual(
      { ...student.body, eligibility: undefined },
      {
        studentNumber: 's9',
        stateId: null,
        personId: null,
        firstName: 'Ana',
        lastName: 'Lopez',
        birthDate: '2019-03-14',
        schoolCode: 'LHS',
        grade: 'K',
        dateOfBirth: '2019-03-14',
        username: 'alopez',
        status: 'active',
        orderId: enterprise,
        eligibility: undefined,
      },
    );
    const onlyEligibility = await get('/api/students/s3');
    assert.deepEqual([onlyEligibility.body.status, onlyEligibility.body.orderId, onlyEligibility.body.schoolCode], [null, null, null]);
  });

  it("another district's orders and students read as 404, and it sees none of them", async () => {
    const orders = (await get('/api/orders')).body as { id: string }[];
    await system.call('PUT', '/api/students', { key: otherKey, body: [{ studentNumber: 'o1', firstName: 'F', lastName: 'L' }] });
    for (const order of orders) {
      const res = await post(`/api/orders/${order.id}/students`, { studentNumber: 'o1', status: 'deactivated' }, otherKey);
      assert.equal(res.status, 404, res.text);
    }
    assert.equal((await get('/api/students/s1', otherKey)).status, 404);
    assert.deepEqual((await get('/api/orders', otherKey)).body, []);
    assert.deepEqual((await get('/api/schools', otherKey)).body, [{ code: 'LHS', name: 'Theirs' }]);
    assert.equal((await post('/api/orders/not-a-uuid/students', { studentNumber: 's1', status: 'active' })).status, 404);
  });

  it('403 RIGHT_REQUIRED: imports.write to change, imports.read to read', async () => {
    const readOnly = (await system.call('POST', `/api/districts/${districtId}/keys`, { body: { name: 'ro', rights: ['imports.read'] } })).body.key;
    const reportsOnly = (await system.call('POST', `/api/districts/${districtId}/keys`, { body: { name: 'rep', rights: ['reports.read'] } })).body.key;
    const enterprise = ((await get('/api/orders')).body as { id: string; kind: string }[]).find((o) => o.kind === 'enterprise')!.id;
    for (const [path, body] of [
      ['/api/schools', { code: 'NEW', name: 'n' }],
      ['/api/orders', { kind: 'regular', schoolCode: 'LHS', licenses: 1 }],
      [`/api/orders/${enterprise}/students`, { studentNumber: 's2', status: 'active' }],
    ] as const) {
      const res = await post(path, body, readOnly);
      assert.equal(res.status, 403, path);
      assert.equal(res.body.error.code, 'RIGHT_REQUIRED');
    }
    assert.equal((await get('/api/orders', readOnly)).status, 200);
    for (const path of ['/api/orders', '/api/schools']) assert.equal((await system.call('GET', path, as(reportsOnly))).status, 403, path);
  });

  it('the OpenAPI document describes the roster routes and their bodies', async () => {
    const doc = (await system.call('GET', '/api/openapi.json', { key: '' })).body;
    assert.ok(doc.paths['/api/schools'].post && doc.paths['/api/schools'].get);
    assert.ok(doc.paths['/api/orders'].post.responses['409']);
    assert.ok(doc.paths['/api/orders/{id}/students'].post.responses['409']);
    assert.deepEqual(doc.components.schemas.OrderBody.properties.kind.enum, ['enterprise', 'regular']);
    assert.deepEqual(doc.components.schemas.OrderStudentBody.required.sort(), ['status', 'studentNumber']);
    assert.ok(doc.components.schemas.SchoolBody.properties.code);
  });

  it('the database itself refuses a licence violation, whoever writes it', async () => {
    const refused = async (sql: string, params: unknown[]) => {
      const client = await system.db.connect();
      try {
        await client.query('begin');
        await client.query(sql, params);
        await client.query('commit');
        return null;
      } catch (error) {
        await client.query('rollback').catch(() => {});
        return (error as { code?: string; constraint?: string }).constraint ?? (error as { code?: string }).code ?? 'error';
      } finally {
        client.release();
      }
    };
    const enterprise = ((await get('/api/orders')).body as { id: string; kind: string }[]).find((o) => o.kind === 'enterprise')!.id;
    // a licence held by nobody
    assert.equal(await refused('update orders set held = held + 1 where id = $1', [enterprise]), 'orders_held_is_active_students');
    // an active student holding no licence
    assert.equal(
      await refused(`update students set status = 'active', order_id = $2 where district_id = $1 and student_number = 's3'`, [districtId, enterprise]),
      'orders_held_is_active_students',
    );
    // a deactivated student still counted as holding one
    assert.equal(await refused(`update students set status = 'deactivated' where district_id = $1 and student_number = 's1'`, [districtId]), 'orders_held_is_active_students');
    // more held than purchased, even when the students are there
    assert.equal(await refused('update orders set held = purchased + 1 where id = $1', [enterprise]), 'orders_held_within_purchased');
    // an active student without an order
    assert.equal(await refused(`update students set order_id = null where district_id = $1 and student_number = 's1'`, [districtId]), 'students_roster_has_order');
    // a balanced change commits: s3 becomes active on the enterprise order and the order counts it
    assert.equal(
      await refused(
        `with s as (update students set status = 'active', order_id = $2 where district_id = $1 and student_number = 's3' returning 1)
         update orders set held = held + 1 where id = $2`,
        [districtId, enterprise],
      ),
      null,
    );
  });
});
