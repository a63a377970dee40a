import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { API_EXAMPLE_MAPPING } from '../support/api-example-mapping';
import { createDistrictWithKey, DATA_TEAM_RIGHTS } from '../support/fixtures';
import { startTestSystem, type TestSystem } from '../support/system';

const PASSWORD = 'pw-Audit-7f3e9c';
const CONNECTION = { protocol: 'sftp', host: 'files.example.org', username: 'svc-audit', password: PASSWORD, directoryPath: 'Audit/Eligibility' };
const ADMIN_RIGHTS = [...DATA_TEAM_RIGHTS, 'keys.manage'];

interface Entry {
  id: string;
  at: string;
  keyId: string | null;
  districtId: string | null;
  method: string;
  route: string | null;
  objectId: string | null;
  status: number | null;
}

describe('Audit log', () => {
  let system: TestSystem;
  let districtA = '';
  let keyA = '';
  let keyAId = '';
  let districtB = '';
  let keyB = '';
  let mappingId = '';

  before(async () => {
    system = await startTestSystem();
    ({ districtId: districtA, key: keyA, keyId: keyAId } = await createDistrictWithKey(system, 'Audit A', 'UTC', ADMIN_RIGHTS));
    ({ districtId: districtB, key: keyB } = await createDistrictWithKey(system, 'Audit B', 'UTC', ADMIN_RIGHTS));
    mappingId = (await system.call('POST', '/api/mappings', { key: keyA, body: API_EXAMPLE_MAPPING })).body.id;
  });
  after(() => system?.stop());

  const createImport = async (name: string) => {
    const res = await system.call('POST', '/api/imports', { key: keyA, body: { name, kind: 'eligibility', mappingId, connection: CONNECTION } });
    assert.equal(res.status, 201, res.text);
    return res.body.id as string;
  };
  const entries = async (key = keyA, query = 'limit=200'): Promise<Entry[]> => {
    const res = await system.call('GET', `/api/audit-log?${query}`, { key });
    assert.equal(res.status, 200, res.text);
    return res.body;
  };
  const entriesFor = async (route: string, objectId: string) => (await entries()).filter((e) => e.route === route && e.objectId === objectId);

  it('records a run request: route pattern, the import, the key and the outcome', async () => {
    const importId = await createImport('Audited Run');
    const run = await system.call('POST', `/api/imports/${importId}/run`, { key: keyA });
    assert.equal(run.status, 202, run.text);
    const [entry, ...more] = await entriesFor('/api/imports/:id/run', importId);
    assert.equal(more.length, 0);
    assert.deepEqual({ ...entry, id: undefined, at: undefined }, {
      id: undefined,
      at: undefined,
      keyId: keyAId,
      districtId: districtA,
      method: 'POST',
      route: '/api/imports/:id/run',
      objectId: importId,
      status: 202,
    });
    assert.ok(Math.abs(Date.parse(entry!.at) - Date.now()) < 60_000);
  });

  it('records a report read, and a student read, but not other reads', async () => {
    const importId = await createImport('Audited Report');
    const runId = (await system.call('POST', `/api/imports/${importId}/test`, { key: keyA })).body.runId;
    assert.equal((await system.call('GET', `/api/runs/${runId}/report`, { key: keyA })).status, 200);
    const [report] = await entriesFor('/api/runs/:runId/report', runId);
    assert.equal(report?.method, 'GET');
    assert.equal(report?.status, 200);
    assert.equal(report?.keyId, keyAId);

    await system.call('PUT', '/api/students', { key: keyA, body: [{ studentNumber: 'A-77', firstName: 'Ana', lastName: 'Lopez' }] });
    assert.equal((await system.call('GET', '/api/students/A-77', { key: keyA })).status, 200);
    assert.equal((await entriesFor('/api/students/:studentNumber', 'A-77'))[0]?.status, 200);

    assert.equal((await system.call('GET', `/api/runs/${runId}`, { key: keyA })).status, 200);
    assert.equal((await entriesFor('/api/runs/:runId', runId)).length, 0);
  });

  it('a create names the created object', async () => {
    const importId = await createImport('Audited Create');
    const [entry] = await entriesFor('/api/imports', importId);
    assert.equal(entry?.method, 'POST');
    assert.equal(entry?.status, 201);
  });

  it('records refused requests: 403, another district’s object, and a revoked key by its id', async () => {
    const importId = await createImport('Audited Refusals');
    const reader = await system.call('POST', `/api/districts/${districtA}/keys`, { key: keyA, body: { name: 'reader', rights: ['imports.read'] } });
    assert.equal((await system.call('PATCH', `/api/imports/${importId}`, { key: reader.body.key, body: { active: false } })).status, 403);
    assert.deepEqual((await entriesFor('/api/imports/:id', importId)).map((e) => [e.keyId, e.status]), [[reader.body.id, 403]]);

    assert.equal((await system.call('DELETE', `/api/imports/${importId}`, { key: keyB })).status, 404);
    const byB = (await entries(keyB)).filter((e) => e.route === '/api/imports/:id' && e.objectId === importId);
    assert.deepEqual(byB.map((e) => [e.method, e.status, e.districtId]), [['DELETE', 404, districtB]]);

    assert.equal((await system.call('DELETE', `/api/districts/${districtA}/keys/${reader.body.id}`, { key: keyA })).status, 204);
    assert.equal((await system.call('POST', `/api/imports/${importId}/run`, { key: reader.body.key })).status, 401);
    const refused = (await entriesFor('/api/imports/:id/run', importId)).find((e) => e.keyId === reader.body.id);
    assert.equal(refused?.status, 401);
  });

  it('does not record requests without a key or with an unknown one', async () => {
    const { rows: before } = await system.db.query<{ n: number }>('select count(*)::int as n from audit_log');
    assert.equal((await system.call('POST', '/api/imports', { key: '', body: {} })).status, 401);
    assert.equal((await system.call('POST', '/api/imports', { key: 'si_unknown', body: {} })).status, 401);
    const { rows: after } = await system.db.query<{ n: number }>('select count(*)::int as n from audit_log');
    assert.equal(after[0]!.n, before[0]!.n);
  });

  it('holds no body value, secret or query string', async () => {
    const importId = await createImport('Body Value Name');
    await system.call('PATCH', `/api/imports/${importId}`, { key: keyA, body: { connection: { password: `${PASSWORD}-2` } } });
    await system.call('GET', `/api/students/A-77?token=query-secret-91`, { key: keyA });
    await system.call('POST', '/api/mappings', { key: keyA, rawBody: '{"name": "malformed-mapping-5c1", ' });
    const { rows } = await system.db.query<{ line: string }>('select row_to_json(a)::text as line from audit_log a');
    const table = rows.map((r) => r.line).join('\n');
    assert.ok(table.includes(importId), 'the import’s requests are in the table');
    for (const value of [PASSWORD, 'Body Value Name', 'files.example.org', 'svc-audit', 'query-secret-91', 'token', 'malformed-mapping-5c1', keyA]) {
      assert.ok(!table.includes(value), `the audit table holds "${value}"`);
    }
  });

  it('the platform admin is recorded without a key id, in the district it named', async () => {
    const res = await system.call('POST', '/api/imports', {
      headers: { 'x-district-id': districtA },
      body: { name: 'By Admin', kind: 'eligibility', mappingId, connection: CONNECTION },
    });
    assert.equal(res.status, 201, res.text);
    const [entry] = await entriesFor('/api/imports', res.body.id);
    assert.equal(entry?.keyId, null);
    assert.equal(entry?.districtId, districtA);
    const asAdmin = await system.call('GET', '/api/audit-log', { headers: { 'x-district-id': districtA } });
    assert.ok(asAdmin.body.some((e: Entry) => e.objectId === res.body.id));
  });

  it('a district sees only its own entries, newest first, paged by id', async () => {
    const own = await entries();
    assert.ok(own.length > 4);
    assert.ok(own.every((e) => e.districtId === districtA));
    assert.deepEqual(own.map((e) => Number(e.id)), own.map((e) => Number(e.id)).sort((a, b) => b - a));
    const first = await entries(keyA, 'limit=2');
    const second = await entries(keyA, `limit=2&before=${first[1]!.id}`);
    assert.deepEqual([...first, ...second].map((e) => e.id), own.slice(0, 4).map((e) => e.id));
    assert.ok((await entries(keyB)).every((e) => e.districtId === districtB));
    assert.equal((await system.call('GET', '/api/audit-log?before=abc', { key: keyA })).status, 422);
  });

  it('403 without keys.manage', async () => {
    const reader = await system.call('POST', `/api/districts/${districtA}/keys`, { key: keyA, body: { name: 'no manage', rights: ['reports.read'] } });
    const res = await system.call('GET', '/api/audit-log', { key: reader.body.key });
    assert.equal(res.status, 403);
    assert.equal(res.body.error.code, 'RIGHT_REQUIRED');
  });

  it('a change whose audit entry cannot be written is refused with 503 and not made', async () => {
    const importId = await createImport('Unaudited');
    await system.db.query(`alter table audit_log add constraint refuse_patch check (method <> 'PATCH') not valid`);
    try {
      const res = await system.call('PATCH', `/api/imports/${importId}`, { key: keyA, body: { name: 'Renamed' } });
      assert.equal(res.status, 503, res.text);
      assert.equal(res.body.error.code, 'AUDIT_UNAVAILABLE');
    } finally {
      await system.db.query('alter table audit_log drop constraint refuse_patch');
    }
    assert.equal((await system.call('GET', `/api/imports/${importId}`, { key: keyA })).body.name, 'Unaudited');
  });
});
