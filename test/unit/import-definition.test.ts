import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mergeConnection, splitConnection } from '../../api/import-definition';
import { ApiError } from '../../api/errors';

const stored = { protocol: 'ftps' as const, host: 'h', port: 990, username: 'u', directoryPath: 'd', ftpsMode: 'implicit' as const, password: 'pw', trust: { sha256: 'AB:CD' } };

/** The error a call throws, as `CODE field,field,…` (details in order), or 'accepted'. */
function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ApiError);
    return `${error.code} ${error.details.map((d) => d.field).join(',')}`;
  }
  return 'accepted';
}

describe('import connections', () => {
  it('a PATCH keeps absent fields, clears nulls and replaces values', () => {
    const merged = mergeConnection(stored, { directoryPath: 'd2', trust: null });
    assert.deepEqual(merged, { protocol: 'ftps', host: 'h', port: 990, username: 'u', directoryPath: 'd2', ftpsMode: 'implicit', password: 'pw' });
    assert.equal(mergeConnection(stored, { password: 'new' }).password, 'new');
  });

  it('a new protocol drops the old default port and FTPS mode', () => {
    const { settings } = splitConnection(mergeConnection(stored, { protocol: 'sftp', password: 'pw2' }));
    assert.equal(settings.port, 22);
    assert.equal(settings.ftpsMode, undefined);
    assert.equal(splitConnection(mergeConnection(stored, { protocol: 'smb', port: 4455, password: 'pw2' })).settings.port, 4455);
  });

  it('defaults ports by protocol and FTPS mode', () => {
    const base = { host: 'h', username: 'u', password: 'p', directoryPath: 'share/dir' };
    assert.equal(splitConnection({ ...base, protocol: 'sftp' }).settings.port, 22);
    assert.equal(splitConnection({ ...base, protocol: 'smb' }).settings.port, 445);
    assert.equal(splitConnection({ ...base, protocol: 'ftps' }).settings.port, 990);
    assert.equal(splitConnection({ ...base, protocol: 'ftps' }).settings.ftpsMode, 'implicit');
    assert.equal(splitConnection({ ...base, protocol: 'ftps', ftpsMode: 'explicit' }).settings.port, 21);
  });

  it('keeps secrets out of the stored settings', () => {
    const { settings, secrets } = splitConnection({ protocol: 'sftp', host: 'h', username: 'u', directoryPath: 'd', privateKey: '-----BEGIN OPENSSH PRIVATE KEY-----\nx', passphrase: 'pp' });
    assert.deepEqual(secrets, { privateKey: '-----BEGIN OPENSSH PRIVATE KEY-----\nx', passphrase: 'pp' });
    assert.equal(JSON.stringify(settings).includes('pp'), false);
  });

  it('refuses what cannot work, naming the field', () => {
    const base = { host: 'h', username: 'u', password: 'p', directoryPath: 'd' };
    assert.equal(refusal(() => splitConnection({ ...base, protocol: 'sftp-legacy' })), 'PROTOCOL_NOT_SUPPORTED connection.protocol');
    assert.equal(refusal(() => splitConnection({ ...base, protocol: 'sftp', ftpsMode: 'explicit' })), 'VALIDATION_FAILED connection.ftpsMode');
    assert.equal(refusal(() => splitConnection({ ...base, protocol: 'smb', directoryPath: '' })), 'VALIDATION_FAILED connection.directoryPath');
    assert.equal(refusal(() => splitConnection({ ...base, protocol: 'sftp', password: undefined })), 'VALIDATION_FAILED connection.password');
    assert.equal(refusal(() => splitConnection({ ...base, protocol: 'sftp', privateKey: 'not a key' })), 'VALIDATION_FAILED connection.privateKey');
  });
});

describe('secrets are bound to their endpoint', () => {
  const sftp = { protocol: 'sftp' as const, host: 'files.example.org', port: 22, username: 'svc', directoryPath: 'in', password: 'old-pw', trust: { sha256: 'SHA256:old', keyType: 'ssh-ed25519' } };
  const smb = { protocol: 'smb' as const, host: 'fs.example.org', port: 445, username: 'svc', domain: 'DISTRICT', directoryPath: 'share/in', password: 'old-pw' };
  const keyed = { ...sftp, password: undefined, privateKey: '-----BEGIN OPENSSH PRIVATE KEY-----\nold', passphrase: 'old-pp' };

  const changes: [string, typeof sftp | typeof smb, Record<string, unknown>, string][] = [
    ['protocol', sftp, { protocol: 'smb', port: 22 }, 'connection.protocol'],
    ['host', sftp, { host: 'evil.example.net' }, 'connection.host'],
    ['port', sftp, { port: 2222 }, 'connection.port'],
    ['username', sftp, { username: 'root' }, 'connection.username'],
    ['domain', smb, { domain: 'OTHER' }, 'connection.domain'],
  ];
  for (const [field, current, patch, changed] of changes) {
    it(`refuses a new ${field} without the password, naming the changed field and the secret needed`, () => {
      assert.equal(refusal(() => mergeConnection(current, patch)), `CREDENTIALS_REQUIRED connection.password,${changed}`);
    });
  }

  it('counts a port that changes with the protocol', () => {
    assert.equal(refusal(() => mergeConnection(sftp, { protocol: 'smb', directoryPath: 'share/in' })), 'CREDENTIALS_REQUIRED connection.password,connection.protocol,connection.port');
  });

  it("counts a port that changes with the FTPS mode, but not a custom port the mode leaves alone", () => {
    const ftps = { ...sftp, protocol: 'ftps' as const, port: 990, ftpsMode: 'implicit' as const, trust: { sha256: 'AB:CD' } };
    assert.equal(refusal(() => mergeConnection(ftps, { ftpsMode: 'explicit' })), 'CREDENTIALS_REQUIRED connection.password,connection.port');
    const custom = mergeConnection({ ...ftps, port: 2121 }, { ftpsMode: 'explicit' });
    assert.deepEqual([custom.port, custom.password, custom.trust], [2121, 'old-pw', { sha256: 'AB:CD' }]);
  });

  it('asks for the key (and its passphrase) of an SFTP key login', () => {
    assert.equal(refusal(() => mergeConnection(keyed, { host: 'evil.example.net' })), 'CREDENTIALS_REQUIRED connection.privateKey,connection.passphrase,connection.host');
  });

  it('does not take a passphrase alone as the credential', () => {
    assert.equal(refusal(() => mergeConnection(keyed, { host: 'evil.example.net', passphrase: 'new-pp' })).split(' ')[0], 'CREDENTIALS_REQUIRED');
  });

  it('the same values given again are no change: secrets and pin stay', () => {
    const merged = mergeConnection(sftp, { protocol: 'sftp', host: 'FILES.example.org', port: 22, username: 'svc' });
    assert.equal(merged.password, 'old-pw');
    assert.deepEqual(merged.trust, sftp.trust);
  });

  it('a domain given as null where there is none is no change; null where there is one is', () => {
    assert.equal(mergeConnection(sftp, { domain: null }).password, 'old-pw');
    assert.equal(mergeConnection(smb, { domain: 'DISTRICT' }).password, 'old-pw');
    assert.equal(mergeConnection(smb, {}).domain, 'DISTRICT');
    assert.equal(refusal(() => mergeConnection(smb, { domain: null })), 'CREDENTIALS_REQUIRED connection.password,connection.domain');
  });

  it('a change of directory or pin alone keeps the secrets', () => {
    const merged = mergeConnection(keyed, { directoryPath: 'elsewhere', trust: { sha256: 'SHA256:new', keyType: 'ssh-ed25519' } });
    assert.deepEqual([merged.privateKey, merged.passphrase], [keyed.privateKey, 'old-pp']);
  });

  it('with a new credential, no old secret survives', () => {
    const newKey = '-----BEGIN OPENSSH PRIVATE KEY-----\nnew';
    const { secrets } = splitConnection(mergeConnection(keyed, { host: 'other.example.org', privateKey: newKey }));
    assert.deepEqual(secrets, { privateKey: newKey });
    const both = { ...keyed, password: 'old-pw' };
    assert.deepEqual(splitConnection(mergeConnection(both, { port: 2222, password: 'new-pw' })).secrets, { password: 'new-pw' });
  });

  it('with a new credential the old pin is dropped, unless the PATCH sets one', () => {
    assert.equal(splitConnection(mergeConnection(sftp, { host: 'other.example.org', password: 'new-pw' })).settings.trust, undefined);
    const pin = { sha256: 'SHA256:other', keyType: 'ssh-ed25519' };
    assert.deepEqual(splitConnection(mergeConnection(sftp, { host: 'other.example.org', password: 'new-pw', trust: pin })).settings.trust, pin);
  });

  it('smbSecurity: SMB only, "required" unless set, dropped when the protocol changes', () => {
    const base = { host: 'h', username: 'u', password: 'p', directoryPath: 'share/dir' };
    assert.equal(splitConnection({ ...base, protocol: 'smb' }).settings.smbSecurity, 'required');
    assert.equal(splitConnection({ ...base, protocol: 'smb', smbSecurity: 'legacy' }).settings.smbSecurity, 'legacy');
    assert.equal(splitConnection({ ...base, protocol: 'sftp' }).settings.smbSecurity, undefined);
    assert.throws(
      () => splitConnection({ ...base, protocol: 'ftps', smbSecurity: 'legacy' }),
      (error: unknown) => error instanceof ApiError && error.status === 422 && error.details[0]?.field === 'connection.smbSecurity',
    );
    const smb = { protocol: 'smb' as const, host: 'h', port: 445, username: 'u', directoryPath: 'share', smbSecurity: 'legacy' as const, password: 'pw' };
    assert.equal(splitConnection(mergeConnection(smb, { directoryPath: 'share/x' })).settings.smbSecurity, 'legacy');
    assert.equal(splitConnection(mergeConnection(smb, { protocol: 'sftp', password: 'new' })).settings.smbSecurity, undefined);
  });
});
