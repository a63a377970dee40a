import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConnectionConfig } from '../../domain/connection';
import { authRoot, processAuthDir } from '../../sources/smb-auth-dir';
import { startSmbd, type SmbTestServer } from '../sources/smbd';
import { createDistrictWithKey, putServerFile, SHORT_HEADER_MAPPING } from '../support/fixtures';
import { startTestSystem, waitForRun, type TestSystem } from '../support/system';
import { describeEligibilityEndToEnd } from './eligibility-end-to-end';

describeEligibilityEndToEnd('SMB (hardened Samba: SMB3, signing and encryption required)', () => startSmbd('hardened'));

describe('SMB security through the API: Debian defaults, and a legacy server (SMB2.1, no encryption)', () => {
  let system: TestSystem;
  let debian: SmbTestServer;
  let legacy: SmbTestServer;
  let key = '';
  let mappingId = '';
  let leftover = '';

  const createImport = async (name: string, connection: ConnectionConfig & { smbSecurity?: string }) => {
    const created = await system.call('POST', '/api/imports', { key, body: { name, kind: 'eligibility', active: true, mappingId, connection } });
    assert.equal(created.status, 201, created.text);
    return created.body;
  };
  const testConnection = async (importId: string) => (await system.call('POST', `/api/imports/${importId}/test-connection`, { key })).body;

  before(async () => {
    // The credentials a crashed worker left: its pid is gone.
    await processAuthDir();
    const { pid } = spawnSync('true');
    leftover = join(authRoot(), String(pid));
    mkdirSync(join(leftover, 'session-crashed'), { recursive: true, mode: 0o700 });
    writeFileSync(join(leftover, 'session-crashed', 'credentials'), 'username = u\npassword = p\n', { mode: 0o600 });

    [system, debian, legacy] = await Promise.all([startTestSystem(), startSmbd('debian'), startSmbd('legacy')]);
    ({ key } = await createDistrictWithKey(system, 'Security USD'));
    const mapping = await system.call('POST', '/api/mappings', { key, body: SHORT_HEADER_MAPPING });
    assert.equal(mapping.status, 201, mapping.text);
    mappingId = mapping.body.id;
  });
  after(async () => {
    await legacy?.stop();
    await debian?.stop();
    await system?.stop();
  });

  it('a starting worker has swept the credential files of a process that is gone', () => {
    assert.equal(existsSync(leftover), false);
  });

  it('by default an SMB import shows smbSecurity "required", and Test Connection an encrypted SMB3 session', async () => {
    const imp = await createImport('Default Security', debian.connection(''));
    assert.equal(imp.connection.smbSecurity, 'required');
    assert.equal((await system.call('GET', `/api/imports/${imp.id}`, { key })).body.connection.smbSecurity, 'required');
    const result = await testConnection(imp.id);
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.match(result.session.dialect, /^SMB3_\d+$/);
    assert.deepEqual({ signed: result.session.signed, encrypted: result.session.encrypted }, { signed: true, encrypted: true });
  });

  it('by default a legacy server fails Test Connection and a run with SMB_ENCRYPTION_UNAVAILABLE, not retried', async () => {
    putServerFile(legacy, 'Old', 'IC_Eligibility_old.csv', 'ID,S,T,A,B\r\n');
    const imp = await createImport('Legacy Refused', legacy.connection('Old'));
    const result = await testConnection(imp.id);
    assert.equal(result.ok, false, JSON.stringify(result));
    assert.equal(result.error.code, 'SMB_ENCRYPTION_UNAVAILABLE');
    assert.match(result.error.message, /smbSecurity to "legacy".*unsafe/);

    const started = await system.call('POST', `/api/imports/${imp.id}/run`, { key });
    assert.equal(started.status, 202, started.text);
    const run = await waitForRun(system, key, started.body.runId);
    assert.equal(run.status, 'failed');
    assert.equal(run.error.code, 'SMB_ENCRYPTION_UNAVAILABLE', JSON.stringify(run.error));
    const history = await system.client.workflow.getHandle(run.workflowId).fetchHistory();
    const attempts = history.events!.filter((e) => e.activityTaskStartedEventAttributes).map((e) => e.activityTaskStartedEventAttributes!.attempt);
    assert.ok(attempts.length > 0 && attempts.every((a) => a === 1), `not retried (attempts ${attempts.join(',')})`);
  });

  it('with smbSecurity "legacy" the same server passes Test Connection, reporting a signed, unencrypted SMB2.1 session', async () => {
    putServerFile(legacy, 'Opted', 'IC_Eligibility_opted.csv', 'ID,S,T,A,B\r\n');
    const imp = await createImport('Legacy Accepted', legacy.connection('Opted'));
    const patched = await system.call('PATCH', `/api/imports/${imp.id}`, { key, body: { connection: { smbSecurity: 'legacy' } } });
    assert.equal(patched.status, 200, patched.text);
    assert.equal(patched.body.connection.smbSecurity, 'legacy');
    const result = await testConnection(imp.id);
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.deepEqual(result.files.map((f: { name: string }) => f.name), ['IC_Eligibility_opted.csv']);
    assert.deepEqual(result.session, { dialect: 'SMB2_10', signed: true, encrypted: false });
  });

  it('refuses smbSecurity on other protocols', async () => {
    const connection = { ...debian.connection(''), protocol: 'sftp', port: 22, smbSecurity: 'legacy' };
    const created = await system.call('POST', '/api/imports', { key, body: { name: 'Not SMB', kind: 'eligibility', active: false, mappingId, connection } });
    assert.equal(created.status, 422, created.text);
    assert.equal(created.body.error.details[0].field, 'connection.smbSecurity');
  });
});
