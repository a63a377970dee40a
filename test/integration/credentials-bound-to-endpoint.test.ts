import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startSshd, type TestSshd } from '../sources/sshd';
import { createDistrictWithKey, makeServerDir, SHORT_HEADER_MAPPING } from '../support/fixtures';
import { startRecordingSftpServer, type RecordingSftpServer } from '../support/recording-sftp-server';
import { startTestSystem, type TestSystem } from '../support/system';

/**
 * The exfiltration a key with `imports.write` could try: point an import's host at a server it
 * controls, pin that server's key, and run Test Connection to receive the stored password.
 */
describe('stored credentials are bound to their endpoint', () => {
  let system: TestSystem;
  let sshd: TestSshd;
  let attacker: RecordingSftpServer;
  let key = '';
  let importId = '';
  let password = '';
  const NEW_PASSWORD = 'Fresh-Password-For-The-New-Server-31';

  before(async () => {
    // 127.0.0.2 is loopback too, so both the host and the port differ from the real server's.
    [system, sshd, attacker] = await Promise.all([startTestSystem(), startSshd(), startRecordingSftpServer('127.0.0.2')]);
    makeServerDir(sshd, 'in');
    ({ key } = await createDistrictWithKey(system, 'Bound USD'));
    const mappingId = (await system.call('POST', '/api/mappings', { key, body: SHORT_HEADER_MAPPING })).body.id;
    const connection = sshd.connection('in');
    password = String(connection.password);
    const created = await system.call('POST', '/api/imports', { key, body: { name: 'Bound', kind: 'eligibility', mappingId, connection } });
    assert.equal(created.status, 201, created.text);
    importId = created.body.id;
  });
  after(async () => {
    await attacker?.stop();
    await sshd?.stop();
    await system?.stop();
  });

  const testConnection = () => system.call('POST', `/api/imports/${importId}/test-connection`, { key });
  const secretsSeen = () => attacker.attempts().flatMap((attempt) => attempt.secrets);

  it('a PATCH to another server without the password is refused, and the password never reaches it', async () => {
    const patch = { host: attacker.host, port: attacker.port, trust: attacker.trust };
    const res = await system.call('PATCH', `/api/imports/${importId}`, { key, body: { connection: patch } });
    assert.equal(res.status, 422, res.text);
    assert.equal(res.body.error.code, 'CREDENTIALS_REQUIRED');
    assert.deepEqual(
      res.body.error.details.map((d: { field: string }) => d.field),
      ['connection.password', 'connection.host', 'connection.port'],
    );

    const tested = await testConnection();
    assert.equal(tested.body.ok, true, tested.text);
    assert.equal(tested.body.fingerprint, sshd.fingerprint, 'Test Connection still goes to the original server');
    assert.equal(attacker.connections(), 0);
    assert.deepEqual(attacker.attempts(), []);
    assert.ok(!secretsSeen().some((secret) => secret.includes(password)));
  });

  it('a PATCH to another server with a new password drops the old pin, and only the new password reaches it', async () => {
    const moved = await system.call('PATCH', `/api/imports/${importId}`, { key, body: { connection: { host: attacker.host, port: attacker.port, password: NEW_PASSWORD } } });
    assert.equal(moved.status, 200, moved.text);
    assert.equal(moved.body.connection.trust, null);
    assert.equal(moved.body.connection.passwordSet, true);

    // Nothing is pinned for the new server, so nothing is sent to it yet.
    const unknown = await testConnection();
    assert.equal(unknown.body.error?.code, 'HOST_KEY_UNKNOWN', unknown.text);
    assert.equal(unknown.body.error.fingerprint, attacker.trust.sha256);
    assert.deepEqual(secretsSeen(), []);

    const pinned = await system.call('PATCH', `/api/imports/${importId}`, { key, body: { connection: { trust: attacker.trust } } });
    assert.equal(pinned.status, 200, pinned.text);
    const refused = await testConnection();
    assert.equal(refused.body.error?.code, 'AUTH_FAILED', refused.text);
    assert.ok(secretsSeen().length > 0, 'the new server was asked to log in');
    assert.deepEqual(new Set(secretsSeen()), new Set([NEW_PASSWORD]));
  });
});
