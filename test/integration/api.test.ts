import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildOpenApiDocument } from '../../api/openapi';
import { API_EXAMPLE_MAPPING } from '../support/api-example-mapping';
import { createDistrictWithKey, DATA_TEAM_RIGHTS } from '../support/fixtures';
import { startTestSystem, type TestSystem } from '../support/system';

const MAPPING = API_EXAMPLE_MAPPING;

const CONNECTION = { protocol: 'sftp', host: 'files.example.org', username: 'svc', password: 'pw-123456', directoryPath: 'ScheduledImports/Eligibility' };

describe('HTTP API: auth, tenancy and validation', () => {
  let system: TestSystem;
  let districtA = '';
  let keyA = '';
  let keyB = '';
  let readOnlyA = '';
  let mappingId = '';

  before(async () => {
    system = await startTestSystem();
    const all = [...DATA_TEAM_RIGHTS, 'keys.manage'];
    ({ districtId: districtA, key: keyA } = await createDistrictWithKey(system, 'District A', 'America/Chicago', all));
    ({ key: keyB } = await createDistrictWithKey(system, 'District B', 'America/New_York', all));
    readOnlyA = (await system.call('POST', `/api/districts/${districtA}/keys`, { key: keyA, body: { name: 'ro', rights: ['imports.read'] } })).body.key;
    mappingId = (await system.call('POST', '/api/mappings', { key: keyA, body: MAPPING })).body.id;
  });
  after(() => system?.stop());

  const createImport = (body: Record<string, unknown>, key = keyA) =>
    system.call('POST', '/api/imports', { key, body: { name: 'Import One', kind: 'eligibility', mappingId, connection: CONNECTION, ...body } });

  // what the document says is checked against the routes and API.md's examples in test/unit/openapi.test.ts
  it('serves health and the OpenAPI document without a key', async () => {
    const health = await system.call('GET', '/api/health', { key: '' });
    assert.deepEqual(health.body, { ok: true, database: true, temporal: true });
    const doc = await system.call('GET', '/api/openapi.json', { key: '' });
    assert.equal(doc.status, 200);
    assert.deepEqual(doc.body, JSON.parse(JSON.stringify(buildOpenApiDocument())));
  });

  it('401 without a key or with an unknown one, in the one error shape', async () => {
    const none = await system.call('GET', '/api/imports', { key: '' });
    assert.equal(none.status, 401);
    assert.equal(none.body.error.code, 'UNAUTHENTICATED');
    assert.equal(typeof none.body.error.message, 'string');
    assert.ok(Array.isArray(none.body.error.details));
    assert.equal((await system.call('GET', '/api/imports', { key: 'si_nope' })).status, 401);
  });

  it('403 RIGHT_REQUIRED for a key without the right; a key cannot grant more than it has', async () => {
    const res = await createImport({}, readOnlyA);
    assert.equal(res.status, 403);
    assert.equal(res.body.error.code, 'RIGHT_REQUIRED');
    const escalate = await system.call('POST', `/api/districts/${districtA}/keys`, { key: readOnlyA, body: { name: 'x', rights: ['imports.write'] } });
    assert.equal(escalate.status, 403);
    const districtByKey = await system.call('POST', '/api/districts', { key: keyA, body: { name: 'X', timeZone: 'UTC' } });
    assert.equal(districtByKey.status, 403);
  });

  it('another district sees 404, never 403', async () => {
    const created = await createImport({ name: 'Tenancy Check' });
    assert.equal(created.status, 201, created.text);
    for (const [method, path] of [
      ['GET', `/api/imports/${created.body.id}`],
      ['PATCH', `/api/imports/${created.body.id}`],
      ['DELETE', `/api/imports/${created.body.id}`],
      ['POST', `/api/imports/${created.body.id}/run`],
      ['GET', `/api/mappings/${mappingId}`],
    ] as const) {
      const res = await system.call(method, path, { key: keyB, body: method === 'PATCH' ? { active: false } : undefined });
      assert.equal(res.status, 404, `${method} ${path}: ${res.text}`);
    }
    assert.equal((await system.call('POST', `/api/districts/${districtA}/keys`, { key: keyB, body: { name: 'x', rights: [] } })).status, 404);
    const list = await system.call('GET', '/api/imports', { key: keyB });
    assert.deepEqual(list.body, []);
  });

  it('the platform admin key acts on a district through X-District-Id', async () => {
    const res = await system.call('GET', '/api/imports', { headers: { 'x-district-id': districtA } });
    assert.equal(res.status, 200);
    assert.ok(res.body.length >= 1);
    assert.equal((await system.call('GET', '/api/imports')).body.error.code, 'DISTRICT_REQUIRED');
  });

  it('400 for malformed JSON', async () => {
    const res = await system.call('POST', '/api/imports', { key: keyA, rawBody: '{"name": ' });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 'MALFORMED_JSON');
  });

  // the field that is wrong; '' for a body-level error (the message then names the unknown key)
  const invalid: [string, Record<string, unknown>, string][] = [
    ['an unknown field', { colour: 'blue' }, ''],
    ['a name over 40 characters', { name: 'N'.repeat(41) }, 'name'],
    ['a name with punctuation', { name: 'Import; DROP' }, 'name'],
    ['a directory with a leading slash', { connection: { ...CONNECTION, directoryPath: '/ScheduledImports' } }, 'connection.directoryPath'],
    ['a directory with a leading backslash', { connection: { ...CONNECTION, directoryPath: '\\ScheduledImports' } }, 'connection.directoryPath'],
    ['a directory with a drive letter', { connection: { ...CONNECTION, directoryPath: 'C:\\ScheduledImports' } }, 'connection.directoryPath'],
    ['a directory over 100 characters', { connection: { ...CONNECTION, directoryPath: 'd'.repeat(101) } }, 'connection.directoryPath'],
    ['port 0', { connection: { ...CONNECTION, port: 0 } }, 'connection.port'],
    ['port 65536', { connection: { ...CONNECTION, port: 65536 } }, 'connection.port'],
    ['no password or key', { connection: { ...CONNECTION, password: undefined } }, 'connection.password'],
    ['a weekly schedule without a weekday', { schedule: { frequency: 'weekly', time: '22:00' } }, 'schedule.weekday'],
  ];
  for (const [what, body, field] of invalid) {
    it(`422 naming the field for ${what}`, async () => {
      const res = await createImport(body);
      assert.equal(res.status, 422, res.text);
      if (field) assert.ok(res.body.error.details.some((d: { field?: string }) => d.field === field), res.text);
      // the message leads with the field, so an admin reading only the message knows what to fix
      if (field) assert.ok(res.body.error.message.startsWith(`${field}: `), res.text);
      else assert.match(res.body.error.message, /"colour"/);
    });
  }

  it('refuses sftp-legacy, pointing to sftp', async () => {
    const res = await createImport({ name: 'Legacy', connection: { ...CONNECTION, protocol: 'sftp-legacy' } });
    assert.equal(res.status, 422);
    assert.equal(res.body.error.code, 'PROTOCOL_NOT_SUPPORTED');
    assert.match(res.body.error.message, /use "sftp"/);
  });

  it('refuses a mapping without start and end for an import: MAPPING_NOT_SCHEDULABLE', async () => {
    const { startDate: _s, endDate: _e, ...columns } = MAPPING.columns;
    const partial = await system.call('POST', '/api/mappings', { key: keyA, body: { ...MAPPING, name: 'No dates', columns } });
    assert.equal(partial.status, 201, 'such a mapping can be saved');
    assert.equal(partial.body.schedulable, false);
    const res = await createImport({ name: 'No Dates', mappingId: partial.body.id });
    assert.equal(res.status, 422);
    assert.equal(res.body.error.code, 'MAPPING_NOT_SCHEDULABLE');
  });

  it('keeps secrets write-only and applies port defaults; 409 for a taken name', async () => {
    const created = await createImport({ name: 'Secret Keeper' });
    assert.equal(created.status, 201);
    assert.equal(created.body.connection.port, 22);
    assert.equal(created.body.connection.passwordSet, true);
    assert.ok(!JSON.stringify(created.body).includes('pw-123456'));
    const { rows } = await system.db.query('select secrets from imports where id = $1', [created.body.id]);
    assert.ok(!Buffer.from(rows[0].secrets).toString('latin1').includes('pw-123456'), 'stored encrypted');
    const listed = await system.call('GET', '/api/imports', { key: keyA });
    assert.ok(!listed.text.includes('pw-123456'));
    const again = await createImport({ name: 'Secret Keeper' });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'IMPORT_NAME_TAKEN');
  });

  it('409 IMPORT_INACTIVE for Run on an inactive import', async () => {
    const created = await createImport({ name: 'Sleeping', active: false });
    const res = await system.call('POST', `/api/imports/${created.body.id}/run`, { key: keyA });
    assert.equal(res.status, 409);
    assert.equal(res.body.error.code, 'IMPORT_INACTIVE');
  });

  it('validates students: at most 10,000, unique numbers, real dates', async () => {
    const bad = await system.call('PUT', '/api/students', { key: keyA, body: [{ studentNumber: '1', firstName: 'A', lastName: 'B', birthDate: '2010-02-30' }] });
    assert.equal(bad.status, 422);
    const dup = await system.call('PUT', '/api/students', { key: keyA, body: [{ studentNumber: '1', firstName: 'A', lastName: 'B' }, { studentNumber: '1', firstName: 'C', lastName: 'D' }] });
    assert.equal(dup.status, 422);
    const many = Array.from({ length: 10_001 }, (_, i) => ({ studentNumber: String(i), firstName: 'A', lastName: 'B' }));
    assert.equal((await system.call('PUT', '/api/students', { key: keyA, body: many })).status, 422);
    const ok = await system.call('PUT', '/api/students', { key: keyA, body: [{ studentNumber: '00042', firstName: 'A', lastName: 'B', birthDate: '2010-02-28' }] });
    assert.deepEqual(ok.body, { upserted: 1 });
    const got = await system.call('GET', '/api/students/00042', { key: keyA });
    assert.equal(got.body.birthDate, '2010-02-28');
    assert.equal((await system.call('GET', '/api/students/00042', { key: keyB })).status, 404);
  });

  it('validates run queries', async () => {
    assert.equal((await system.call('GET', '/api/runs?limit=0', { key: keyA })).status, 422);
    assert.equal((await system.call('GET', '/api/runs?importId=nope', { key: keyA })).status, 422);
    assert.equal((await system.call('GET', '/api/runs/not-a-uuid', { key: keyA })).status, 404);
  });
});
