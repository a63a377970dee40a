import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { insertImport } from '../../db/queries/imports';
import { sealSecrets } from '../../security/connection-secrets';
import { startSshd, type TestSshd } from '../sources/sshd';
import { createDistrictWithKey, putServerFile, SHORT_HEADER_MAPPING } from '../support/fixtures';
import { startTestSystem, waitForRun, type TestSystem } from '../support/system';

/**
 * A run is fixed when it is created: it works from the kind's settings and the connection settings
 * as they were then. No worker polls until a test starts one, so each run waits while the import changes.
 */
describe('a run works from what it was started with', () => {
  let system: TestSystem;
  let sshd: TestSshd;
  let key = '';
  let districtId = '';
  let importId = '';
  let otherMappingId = '';

  async function runWithWorker(runId: string) {
    const worker = await system.startWorker();
    try {
      return await waitForRun(system, key, runId);
    } finally {
      await worker.stop();
    }
  }

  before(async () => {
    [system, sshd] = await Promise.all([startTestSystem({ inProcessWorker: false }), startSshd()]);
    ({ key, districtId } = await createDistrictWithKey(system, 'Snapshot USD'));
    await system.call('PUT', '/api/students', { key, body: [{ studentNumber: '1', firstName: 'A', lastName: 'B' }] });
    putServerFile(sshd, 'before', 'IC_Eligibility_before.csv', 'ID,S,T,A,B\n1,F,D,08/01/2025,\n');
    putServerFile(sshd, 'after', 'IC_Eligibility_after.csv', 'ID,S,T,A,B\n1,R,I,09/01/2025,\n');
    const mapping = await system.call('POST', '/api/mappings', { key, body: SHORT_HEADER_MAPPING });
    // the same files read through this mapping fail: they have no column "Type"
    const other = await system.call('POST', '/api/mappings', { key, body: { ...SHORT_HEADER_MAPPING, name: 'other', columns: { ...SHORT_HEADER_MAPPING.columns, certifiedType: 'Type' } } });
    otherMappingId = other.body.id;
    const imp = await system.call('POST', '/api/imports', { key, body: { name: 'Snapshot', kind: 'eligibility', mappingId: mapping.body.id, connection: sshd.connection('before') } });
    assert.equal(imp.status, 201, imp.text);
    importId = imp.body.id;
  });
  after(async () => {
    await sshd?.stop();
    await system?.stop();
  });

  it('a PATCH of the mapping and of the directory while a run waits changes nothing in that run', async () => {
    const started = await system.call('POST', `/api/imports/${importId}/run`, { key });
    assert.equal(started.status, 202, started.text);
    const patched = await system.call('PATCH', `/api/imports/${importId}`, { key, body: { mappingId: otherMappingId, connection: { directoryPath: 'after' } } });
    assert.equal(patched.status, 200, patched.text);
    assert.deepEqual([patched.body.mappingId, patched.body.connection.directoryPath], [otherMappingId, 'after']);

    const run = await runWithWorker(started.body.runId);
    assert.equal(run.status, 'completed', JSON.stringify(run.error));
    assert.deepEqual(run.files.map((f: { name: string; status: string }) => [f.name, f.status]), [['IC_Eligibility_before.csv', 'processed']]);
    assert.deepEqual(run.summary, { new: 1, updated: 0, ended: 0, removed: 0, existing: 0, errors: 0, warnings: 0 });
  });

  it('a PATCH that points the import at another server stops a waiting run before the new secret reaches the old server', async () => {
    const started = await system.call('POST', `/api/imports/${importId}/run`, { key });
    assert.equal(started.status, 202, started.text);
    const patched = await system.call('PATCH', `/api/imports/${importId}`, { key, body: { connection: { host: 'localhost', password: 'secret-for-the-new-server' } } });
    assert.equal(patched.status, 200, patched.text);

    const run = await runWithWorker(started.body.runId);
    assert.equal(run.status, 'failed');
    assert.equal(run.error.code, 'CONNECTION_CHANGED', JSON.stringify(run.error));
  });

  it('Test Connection needs no mapping: an import of a kind with no settings (made in the database) connects', async () => {
    const id = randomUUID();
    putServerFile(sshd, 'roster', 'students.csv', 'school_code,student_id\n');
    const { password, privateKey: _k, passphrase: _p, ...settings } = sshd.connection('roster');
    const { sealed, fields } = sealSecrets(system.config.secretsKeys, id, { password });
    await insertImport(system.db, {
      id,
      districtId,
      name: 'Roster',
      kind: 'students',
      active: true,
      mappingId: null,
      connection: settings,
      sealedSecrets: sealed,
      secretFields: fields,
      schedule: null,
      notify: null,
    });
    const worker = await system.startWorker();
    try {
      const res = await system.call('POST', `/api/imports/${id}/test-connection`, { key });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.ok, true, res.text);
      assert.deepEqual(res.body.files.map((f: { name: string }) => f.name), ['students.csv']);
    } finally {
      await worker.stop();
    }
  });
});
