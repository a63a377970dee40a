import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startSshd, type TestSshd } from '../sources/sshd';
import { createDistrictWithKey, makeServerDir, SHORT_HEADER_MAPPING } from '../support/fixtures';
import { startTestSystem, type TestSystem } from '../support/system';

/** Key-based SFTP login through the API: the key and passphrase are stored encrypted, never returned, and work. */
describe('SFTP key login through the API', () => {
  let system: TestSystem;
  let sshd: TestSshd;
  let key = '';
  let mappingId = '';

  before(async () => {
    [system, sshd] = await Promise.all([startTestSystem(), startSshd({ keyLogin: true })]);
    makeServerDir(sshd, 'in');
    ({ key } = await createDistrictWithKey(system, 'Keys USD'));
    mappingId = (await system.call('POST', '/api/mappings', { key, body: SHORT_HEADER_MAPPING })).body.id;
  });
  after(async () => {
    await sshd?.stop();
    await system?.stop();
  });

  it('logs in with a passphrase-protected key, which the API never shows', async () => {
    const { password: _password, ...connection } = sshd.connection('in');
    const client = sshd.clientKeys!.withPassphrase;
    const created = await system.call('POST', '/api/imports', {
      key,
      body: { name: 'Key Login', kind: 'eligibility', mappingId, connection: { ...connection, privateKey: client.privateKey, passphrase: client.passphrase } },
    });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.connection.privateKeySet, true);
    assert.equal(created.body.connection.passphraseSet, true);
    assert.equal(created.body.connection.passwordSet, false);
    assert.ok(!created.text.includes('PRIVATE KEY') && !created.text.includes(client.passphrase!));
    const ok = await system.call('POST', `/api/imports/${created.body.id}/test-connection`, { key });
    assert.equal(ok.body.ok, true, ok.text);

    const wrong = await system.call('PATCH', `/api/imports/${created.body.id}`, { key, body: { connection: { passphrase: 'not-it' } } });
    assert.equal(wrong.status, 200);
    const failed = await system.call('POST', `/api/imports/${created.body.id}/test-connection`, { key });
    assert.equal(failed.body.error.code, 'AUTH_FAILED', failed.text);
  });

  it('refuses key fields on other protocols and a passphrase without a key', async () => {
    const { password: _password, ...connection } = sshd.connection('in');
    const noKey = await system.call('POST', '/api/imports', { key, body: { name: 'Bad', kind: 'eligibility', mappingId, connection: { ...connection, passphrase: 'x' } } });
    assert.equal(noKey.status, 422);
    const ftps = await system.call('POST', '/api/imports', {
      key,
      body: { name: 'Bad', kind: 'eligibility', mappingId, connection: { ...connection, protocol: 'ftps', password: 'p', privateKey: sshd.clientKeys!.plain.privateKey } },
    });
    assert.equal(ftps.status, 422);
    assert.equal(ftps.body.error.details[0].field, 'connection.privateKey');
  });
});
