import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../activities';
import type { TestConnectionResult } from '../../domain/runs';
import { connectFileSource } from '../../sources/connect';
import { createDistrictWithKey, SHORT_HEADER_MAPPING } from '../support/fixtures';
import { startTestSystem, waitForRun, type TestSystem } from '../support/system';

const CONNECTION = { protocol: 'sftp', host: 'files.example.org', username: 'svc', password: 'Pw-Of-The-District-5', directoryPath: 'in' };

/** The outbound address policy through the API (when an import is saved) and in the worker (when it connects). */
describe('outbound address policy on real components', () => {
  let system: TestSystem;
  let key = '';
  let mappingId = '';
  let created = 0;

  before(async () => {
    system = await startTestSystem();
    ({ key } = await createDistrictWithKey(system, 'Policy USD'));
    mappingId = (await system.call('POST', '/api/mappings', { key, body: SHORT_HEADER_MAPPING })).body.id;
  });
  after(() => system?.stop());

  const importBody = (connection: Record<string, unknown>) => ({ name: `Policy ${++created}`, kind: 'eligibility', mappingId, connection: { ...CONNECTION, ...connection } });
  const create = (connection: Record<string, unknown>, call = system.call) => call('POST', '/api/imports', { key, body: importBody(connection) });

  it('POST: a metadata address is 422 HOST_NOT_ALLOWED on connection.host', async () => {
    const res = await create({ host: '169.254.169.254' });
    assert.equal(res.status, 422, res.text);
    assert.equal(res.body.error.code, 'HOST_NOT_ALLOWED');
    assert.equal(res.body.error.details[0].field, 'connection.host');
    assert.match(res.body.error.message, /link-local/);
  });

  it('PATCH: a metadata address is 422 HOST_NOT_ALLOWED, and the import keeps its host', async () => {
    const imp = await create({});
    assert.equal(imp.status, 201, imp.text);
    const res = await system.call('PATCH', `/api/imports/${imp.body.id}`, { key, body: { connection: { host: '::ffff:169.254.169.254', password: 'New-Pw-7' } } });
    assert.equal(res.status, 422, res.text);
    assert.equal(res.body.error.code, 'HOST_NOT_ALLOWED');
    assert.equal(res.body.error.details[0].field, 'connection.host');
    assert.equal((await system.call('GET', `/api/imports/${imp.body.id}`, { key })).body.connection.host, 'files.example.org');
  });

  it('loopback is refused where the deployment does not allow it', async () => {
    const res = await create({ host: '127.0.0.1' }, system.apiWith({ allowLoopbackSources: false }));
    assert.equal(res.status, 422, res.text);
    assert.equal(res.body.error.code, 'HOST_NOT_ALLOWED');
    assert.match(res.body.error.message, /loopback/);
  });

  it('loopback is accepted where the deployment allows it', async () => {
    const res = await create({ host: '127.0.0.1' });
    assert.equal(res.status, 201, res.text);
  });

  it('a host that does not resolve yet is saved', async () => {
    const res = await create({ host: 'files.district.invalid' });
    assert.equal(res.status, 201, res.text);
  });

  it('Test Connection in a worker without loopback: HOST_NOT_ALLOWED', async () => {
    const imp = await create({ host: '127.0.0.1', port: 1 });
    const activities = createActivities({ db: system.db, config: { ...system.config, allowLoopbackSources: false }, connect: connectFileSource });
    const result: TestConnectionResult = await new MockActivityEnvironment().run(activities.testConnection, { importId: imp.body.id });
    assert.equal(result.ok === false && result.error.code, 'HOST_NOT_ALLOWED', JSON.stringify(result));
  });

  it('a run whose host now resolves to a metadata address fails at once with HOST_NOT_ALLOWED', async () => {
    const imp = await create({});
    // As if the name's DNS answer changed after it was saved.
    await system.db.query(`update imports set connection = jsonb_set(connection, '{host}', '"169.254.169.254"') where id = $1`, [imp.body.id]);
    const started = await system.call('POST', `/api/imports/${imp.body.id}/run`, { key });
    const run = await waitForRun(system, key, started.body.runId);
    assert.equal(run.status, 'failed');
    assert.equal(run.error.code, 'HOST_NOT_ALLOWED', JSON.stringify(run.error));
    assert.match(run.error.message, /^SFTP 169\.254\.169\.254:22, directory in: /);
    const history = await system.client.workflow.getHandle(run.workflowId).fetchHistory();
    const attempts = history.events!.filter((e) => e.activityTaskStartedEventAttributes).map((e) => e.activityTaskStartedEventAttributes!.attempt);
    assert.ok(attempts.every((a) => a === 1), `not retried (attempts ${attempts.join(',')})`);
  });
});
