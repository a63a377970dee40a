import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startSshd, type TestSshd } from '../sources/sshd';
import { API_EXAMPLE_MAPPING } from '../support/api-example-mapping';
import { checkedApi } from '../support/checked-api';
import { BATCH_RIGHTS, DATA_TEAM_RIGHTS, makeServerDir, putServerFile } from '../support/fixtures';
import { startTestSystem, waitForRun, type TestSystem } from '../support/system';

const FILE = ['Student ID,Last,First,Status,Type,Start,End,App,Ref', '000123,Lopez,Ana,F,D,08/15/2025,,App,R1', '999999,Who,Zz,F,D,09/01/2025,,App,R2'].join('\n') + '\n';

/**
 * Every answer of a real day's use — set-up, connection test, dry run, run, reports, batch, roster,
 * refusals — is checked against the document GET /api/openapi.json serves (test/support/checked-api.ts).
 */
describe('every response the API gives is the one its OpenAPI document describes', () => {
  let system: TestSystem;
  let sshd: TestSshd;
  let api: ReturnType<typeof checkedApi>;
  let key = '';
  let districtId = '';

  before(async () => {
    [system, sshd] = await Promise.all([startTestSystem(), startSshd()]);
    makeServerDir(sshd, 'Eligibility');
    api = checkedApi(system.call);
  });
  after(async () => {
    await sshd?.stop();
    await system?.stop();
  });

  it('answers set-up, runs, reports and refusals as documented', async () => {
    const call = api.call;
    assert.equal((await call('GET', '/api/health', { key: null })).status, 200);
    assert.equal((await call('GET', '/api/openapi.json', { key: null })).status, 200);
    const district = await call('POST', '/api/districts', { body: { name: 'Contract USD', timeZone: 'America/Chicago' } });
    districtId = district.body.id;
    const created = await call('POST', `/api/districts/${districtId}/keys`, { body: { name: 'all', rights: [...DATA_TEAM_RIGHTS, ...BATCH_RIGHTS, 'keys.manage'] } });
    key = created.body.key;
    await call('GET', `/api/districts/${districtId}/keys`, { key });
    const spare = await call('POST', `/api/districts/${districtId}/keys`, { key, body: { name: 'spare', rights: ['imports.read'], expiresAt: new Date(Date.now() + 86_400_000).toISOString() } });
    assert.equal((await call('DELETE', `/api/districts/${districtId}/keys/${spare.body.id}`, { key })).status, 204);

    await call('PUT', '/api/students', { key, body: [{ studentNumber: '000123', firstName: 'Ana', lastName: 'Lopez', birthDate: '2012-04-01' }] });
    const mapping = await call('POST', '/api/mappings', { key, body: API_EXAMPLE_MAPPING });
    await call('GET', '/api/mappings', { key });
    await call('GET', `/api/mappings/${mapping.body.id}`, { key });

    const { trust: _trust, ...connection } = sshd.connection('Eligibility');
    const imp = await call('POST', '/api/imports', {
      key,
      body: { name: 'Contract Import', kind: 'eligibility', mappingId: mapping.body.id, connection, schedule: { frequency: 'daily', time: '22:00' }, notify: { emails: ['data@district.org'] } },
    });
    assert.equal(imp.status, 201, imp.text);
    const importId = imp.body.id;
    const unpinned = await call('POST', `/api/imports/${importId}/test-connection`, { key });
    const trust = { sha256: unpinned.body.error.fingerprint, keyType: unpinned.body.error.keyType };
    await call('PATCH', `/api/imports/${importId}`, { key, body: { connection: { trust } } });
    putServerFile(sshd, 'Eligibility', 'IC_Eligibility.csv', FILE);
    await call('POST', `/api/imports/${importId}/test-connection`, { key });
    await call('GET', `/api/imports/${importId}`, { key });
    await call('GET', '/api/imports', { key });

    for (const mode of ['test', 'run']) {
      const started = await call('POST', `/api/imports/${importId}/${mode}`, { key });
      assert.equal(started.status, 202, started.text);
      await waitForRun(system, key, started.body.runId);
      await call('GET', `/api/runs/${started.body.runId}`, { key });
      const page = await call('GET', `/api/runs/${started.body.runId}/report?limit=1`, { key });
      await call('GET', `/api/runs/${started.body.runId}/report?cursor=${page.body.next}`, { key });
      await call('GET', `/api/runs/${started.body.runId}/report`, { key, headers: { accept: 'text/csv' } });
      await call('POST', `/api/runs/${started.body.runId}/cancel`, { key });
    }
    await call('GET', '/api/runs', { key });
    await call('GET', `/api/runs?importId=${importId}&limit=1`, { key });
    await call('GET', '/api/students/000123', { key });
    // PostgreSQL text cannot hold NUL: such a number is no student's, not a database error
    assert.equal((await call('GET', '/api/students/%00', { key })).status, 404);

    const batch = await call('POST', `/api/imports/${importId}/batch`, { key, body: { startAt: new Date(Date.now() + 3_600_000).toISOString(), highPriority: true } });
    assert.equal(batch.status, 202, batch.text);
    await call('GET', '/api/batch-queue', { key });
    await call('DELETE', `/api/batch-queue/${batch.body.batchId}`, { key });
    await call('DELETE', `/api/batch-queue/${batch.body.batchId}`, { key });

    await call('POST', '/api/schools', { key, body: { code: 'LHS', name: 'Lincoln High' } });
    await call('POST', '/api/schools', { key, body: { code: 'LHS', name: 'Again' } });
    await call('GET', '/api/schools', { key });
    const order = await call('POST', '/api/orders', { key, body: { kind: 'regular', schoolCode: 'LHS', licenses: 1 } });
    await call('POST', '/api/orders', { key, body: { kind: 'enterprise', licenses: 5 } });
    await call('POST', '/api/orders', { key, body: { kind: 'enterprise', licenses: 5 } });
    await call('GET', '/api/orders', { key });
    await call('POST', `/api/orders/${order.body.id}/students`, { key, body: { studentNumber: '000123', status: 'active' } });
    await call('GET', '/api/audit-log?limit=5', { key });

    // refusals, each in the one error shape
    await call('GET', '/api/imports', { key: 'not-a-key' });
    await call('GET', '/api/imports/not-a-uuid', { key });
    await call('POST', '/api/imports', { key, rawBody: '{"name": ' });
    const nul = await call('PUT', '/api/students', { key, body: [{ studentNumber: '000999', firstName: 'A\u0000', lastName: 'B' }] });
    assert.deepEqual([nul.status, nul.body.error?.details[0]?.field], [422, '0.firstName'], nul.text);
    await call('POST', '/api/imports', { key, body: { name: '' } });
    await call('GET', '/api/runs?limit=0', { key });
    await call('GET', '/api/imports', {});
    await call('POST', '/api/districts', { key, body: { name: 'Not mine', timeZone: 'UTC' } });
    await call('PATCH', `/api/imports/${importId}`, { key, body: { connection: { host: 'other.example.org' } } });
    await call('POST', '/api/imports', { key, body: { ...imp.body, id: undefined } });
    const emptyMapping = await call('POST', '/api/imports', { key, body: { name: 'Roster', kind: 'students', mappingId: '', connection } });
    assert.equal(emptyMapping.status, 422, emptyMapping.text);
    await call('DELETE', `/api/imports/${importId}`, { key });
    await call('POST', `/api/imports/${importId}/run`, { key });

    assert.ok(api.checked() >= 50, `${api.checked()} responses checked`);
    assert.deepEqual(api.breaches, []);
  });
});
