import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mergeConnection, splitConnection } from '../../api/import-definition';
import { ApiError } from '../../api/errors';

const stored = { protocol: 'ftps' as const, host: 'h', port: 990, username: 'u', directoryPath: 'd', ftpsMode: 'implicit' as const, password: 'pw', trust: { sha256: 'AB:CD' } };

describe('import connections', () => {
  it('a PATCH keeps absent fields, clears nulls and replaces values', () => {
    const merged = mergeConnection(stored, { host: 'h2', trust: null });
    assert.deepEqual(merged, { protocol: 'ftps', host: 'h2', port: 990, username: 'u', directoryPath: 'd', ftpsMode: 'implicit', password: 'pw' });
    assert.equal(mergeConnection(stored, { password: 'new' }).password, 'new');
  });

  it('a new protocol drops the old default port and FTPS mode', () => {
    const { settings } = splitConnection(mergeConnection(stored, { protocol: 'sftp', trust: null }));
    assert.equal(settings.port, 22);
    assert.equal(settings.ftpsMode, undefined);
    assert.equal(splitConnection(mergeConnection(stored, { protocol: 'smb', port: 4455, trust: null })).settings.port, 4455);
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
    const field = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        assert.ok(error instanceof ApiError);
        return `${error.code} ${error.details[0]?.field}`;
      }
      return 'accepted';
    };
    assert.equal(field(() => splitConnection({ ...base, protocol: 'sftp-legacy' })), 'PROTOCOL_NOT_SUPPORTED connection.protocol');
    assert.equal(field(() => splitConnection({ ...base, protocol: 'sftp', ftpsMode: 'explicit' })), 'VALIDATION_FAILED connection.ftpsMode');
    assert.equal(field(() => splitConnection({ ...base, protocol: 'smb', directoryPath: '' })), 'VALIDATION_FAILED connection.directoryPath');
    assert.equal(field(() => splitConnection({ ...base, protocol: 'sftp', password: undefined })), 'VALIDATION_FAILED connection.password');
    assert.equal(field(() => splitConnection({ ...base, protocol: 'sftp', privateKey: 'not a key' })), 'VALIDATION_FAILED connection.privateKey');
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
    assert.equal(splitConnection(mergeConnection(smb, { protocol: 'sftp' })).settings.smbSecurity, undefined);
  });
});
