import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import type { ConnectionConfig } from '../../domain/connection';
import { connectSftp } from '../../sources/sftp';
import type { FileSource } from '../../sources/file-source';
import { makeServerDir, putServerFile } from '../support/fixtures';
import { describeFileSourceConformance } from './conformance';
import { startSshd, type ClientKey, type TestSshd } from './sshd';
import { expectCode } from './expect-code';

describeFileSourceConformance('sftp (password)', () => startSshd(), { unknown: 'HOST_KEY_UNKNOWN', mismatch: 'HOST_KEY_MISMATCH' });

/** How often sshd has logged `pattern`, once the count stops growing (its per-connection processes log asynchronously). */
async function settledLogCount(server: TestSshd, pattern: RegExp): Promise<number> {
  const count = () => server.log().match(pattern)?.length ?? 0;
  let last = -1;
  for (let current = count(); current !== last; current = count()) {
    last = current;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  return last;
}

async function withSource<T>(config: ConnectionConfig, use: (source: FileSource) => Promise<T>): Promise<T> {
  const source = await connectSftp(config, { timeoutMs: 5000 });
  try {
    return await use(source);
  } finally {
    await source.close();
  }
}

describe('sftp key login', () => {
  let server: TestSshd;
  const keyConnection = (key: ClientKey): ConnectionConfig => ({ ...server.connection(''), password: undefined, ...key });

  before(async () => {
    server = await startSshd({ keyLogin: true });
  });
  after(() => server?.stop());

  it('logs in with a plain key', async () => {
    const fingerprint = await withSource(keyConnection(server.clientKeys!.plain), async (source) => source.fingerprint);
    assert.equal(fingerprint, server.fingerprint);
  });

  it('logs in with a passphrase-protected key', async () => {
    await withSource(keyConnection(server.clientKeys!.withPassphrase), (source) => source.list());
  });

  it('AUTH_FAILED for a key the server does not know', async () => {
    const stranger = ssh2.utils.generateKeyPairSync('ed25519');
    await expectCode(connectSftp(keyConnection({ privateKey: stranger.private }), { timeoutMs: 10_000 }), 'AUTH_FAILED');
  });

  it('AUTH_FAILED for a wrong passphrase, without echoing it', async () => {
    const passphrase = 'not-the-passphrase-31';
    const error = await expectCode(
      connectSftp(keyConnection({ ...server.clientKeys!.withPassphrase, passphrase }), { timeoutMs: 10_000 }),
      'AUTH_FAILED',
    );
    assert.doesNotMatch(error.message, new RegExp(passphrase));
  });

  it('tries a wrong password once, and never puts it in a message', async () => {
    const failures = await settledLogCount(server, /Failed password/g);
    const password = 'Wrong-Password-With-A-Marker-8812';
    const error = await expectCode(connectSftp({ ...server.connection(''), password }, { timeoutMs: 10_000 }), 'AUTH_FAILED');
    assert.doesNotMatch(error.message, /Marker-8812/);
    assert.equal(await settledLogCount(server, /Failed password/g), failures + 1);
  });

  it('uses the key and not the password when both are set', async () => {
    const failures = await settledLogCount(server, /Failed password/g);
    await withSource({ ...server.connection(''), password: 'wrong-password', ...server.clientKeys!.plain }, (source) => source.list());
    assert.equal(await settledLogCount(server, /Failed password/g), failures);
  });
});

describe('sftp password login on a server that takes passwords only by keyboard-interactive (PAM)', () => {
  let server: TestSshd;

  before(async () => {
    server = await startSshd({ passwordMethod: 'keyboard-interactive' });
  });
  after(() => server?.stop());

  it('logs in with the password', async () => {
    await withSource(server.connection(''), (source) => source.list());
  });

  it('AUTH_FAILED for a wrong password, tried once', async () => {
    const failures = await settledLogCount(server, /Failed keyboard-interactive/g);
    await expectCode(connectSftp({ ...server.connection(''), password: 'wrong-password' }, { timeoutMs: 10_000 }), 'AUTH_FAILED');
    assert.equal(await settledLogCount(server, /Failed keyboard-interactive/g), failures + 1);
  });
});

describe('sftp host key pin with several server host keys', () => {
  let server: TestSshd;
  const withPin = (sha256: string, keyType?: string): ConnectionConfig => ({
    ...server.connection(''),
    trust: keyType ? { sha256, keyType } : { sha256 },
  });

  before(async () => {
    server = await startSshd({ rsaHostKey: true });
  });
  after(() => server?.stop());

  const hostKey = (keyType: string) => server.hostKeys.find((key) => key.keyType === keyType)!;

  it('honours an ssh-ed25519 pin', async () => {
    const ed25519 = hostKey('ssh-ed25519');
    const seen = await withSource(withPin(ed25519.fingerprint, 'ssh-ed25519'), async (s) => [s.fingerprint, s.keyType]);
    assert.deepEqual(seen, [ed25519.fingerprint, 'ssh-ed25519']);
  });

  it('honours an ssh-rsa pin, although the client prefers ed25519', async () => {
    const rsa = hostKey('ssh-rsa');
    const seen = await withSource(withPin(rsa.fingerprint, 'ssh-rsa'), async (s) => [s.fingerprint, s.keyType]);
    assert.deepEqual(seen, [rsa.fingerprint, 'ssh-rsa']);
  });

  it('reports the negotiated key type with HOST_KEY_UNKNOWN', async () => {
    const error = await expectCode(connectSftp({ ...server.connection(''), trust: undefined }, { timeoutMs: 5000 }), 'HOST_KEY_UNKNOWN');
    assert.equal(error.fingerprint, hostKey('ssh-ed25519').fingerprint);
    assert.equal(error.keyType, 'ssh-ed25519');
  });

  it('HOST_KEY_MISMATCH for an RSA fingerprint pinned without its key type', async () => {
    const error = await expectCode(connectSftp(withPin(hostKey('ssh-rsa').fingerprint), { timeoutMs: 5000 }), 'HOST_KEY_MISMATCH');
    assert.equal(error.fingerprint, hostKey('ssh-ed25519').fingerprint);
  });

  it('HOST_KEY_MISMATCH with the offered key when the pinned key type is gone', async () => {
    const error = await expectCode(
      connectSftp(withPin('SHA256:' + 'B'.repeat(43), 'ecdsa-sha2-nistp256'), { timeoutMs: 5000 }),
      'HOST_KEY_MISMATCH',
    );
    assert.match(error.message, /no ecdsa-sha2-nistp256 host key/);
    assert.equal(error.fingerprint, hostKey('ssh-ed25519').fingerprint);
    assert.equal(error.keyType, 'ssh-ed25519');
  });
});

describe('sftp paths and names', () => {
  let server: TestSshd;

  before(async () => {
    server = await startSshd();
  });
  after(() => server?.stop());

  it('accepts backslash separators and a leading separator in the directory path', async () => {
    putServerFile(server, 'District/Inbox', 'IC_Eligibility_x.csv', 'x');
    for (const directoryPath of ['District\\Inbox', '/District/Inbox/', 'District//Inbox']) {
      const names = await withSource({ ...server.connection(''), directoryPath }, async (s) => (await s.list()).map((f) => f.name));
      assert.deepEqual(names, ['IC_Eligibility_x.csv'], directoryPath);
    }
  });

  it('lists a link to a file and leaves out a link to a directory', async () => {
    const dir = makeServerDir(server, 'links');
    putServerFile(server, 'links', 'real.csv', 'abc');
    makeServerDir(server, 'links/sub');
    symlinkSync('real.csv', join(dir, 'IC_Eligibility_link.csv'));
    symlinkSync('sub', join(dir, 'IC_Eligibility_dirlink'));
    symlinkSync('gone.csv', join(dir, 'dangling.csv'));
    const files = await withSource(server.connection('links'), (s) => s.list());
    assert.deepEqual(files.map((f) => [f.name, f.size]).sort(), [['IC_Eligibility_link.csv', 3], ['real.csv', 3]]);
  });

  it('connects to the address it is given, naming the host in messages', async () => {
    // The name does not resolve, so only the address can have been used.
    const named = { ...server.connection('not-here'), host: 'files.district.invalid' };
    const error = await expectCode(connectSftp(named, { timeoutMs: 5000, address: server.host }), 'DIRECTORY_NOT_FOUND');
    assert.match(error.message, /^SFTP files\.district\.invalid:\d+, directory not-here/);
  });

  it('DIRECTORY_NOT_FOUND when the path is a file', async () => {
    putServerFile(server, 'plain', 'not-a-dir', 'x');
    await expectCode(connectSftp(server.connection('plain/not-a-dir'), { timeoutMs: 5000 }), 'DIRECTORY_NOT_FOUND');
  });

  it('refuses names that leave the directory', async () => {
    makeServerDir(server, 'names');
    await withSource(server.connection('names'), async (s) => {
      for (const name of ['../escape.csv', 'a/b.csv', 'a\\b.csv', '..', '']) {
        await expectCode(s.openRead(name), 'UNSAFE_FILE_NAME');
      }
      await expectCode(s.rename('x.csv', '../x.csv'), 'UNSAFE_FILE_NAME');
      await expectCode(s.write('../x.csv', Buffer.from('x')), 'UNSAFE_FILE_NAME');
    });
  });

  it('FILE_NOT_FOUND when opening or renaming a missing file', async () => {
    makeServerDir(server, 'missing-files');
    await withSource(server.connection('missing-files'), async (s) => {
      await expectCode(s.openRead('nope.csv'), 'FILE_NOT_FOUND');
      await expectCode(s.rename('nope.csv', 'P_nope.csv'), 'FILE_NOT_FOUND');
    });
  });

  it('replaces a file of the same name on write, so a retried write is harmless', async () => {
    const dir = makeServerDir(server, 'rewrite');
    await withSource(server.connection('rewrite'), async (s) => {
      await s.write('errors.csv', Buffer.from('first attempt, longer'));
      await s.write('errors.csv', Buffer.from('second'));
    });
    assert.equal(readFileSync(join(dir, 'errors.csv'), 'utf8'), 'second');
  });

  it('keeps the session usable after a read stream is abandoned half way', async () => {
    const dir = makeServerDir(server, 'abandon');
    putServerFile(server, 'abandon', 'big.csv', 'x'.repeat(4 * 1024 * 1024));
    await withSource(server.connection('abandon'), async (s) => {
      const stream = await s.openRead('big.csv');
      for await (const _chunk of stream) break;
      assert.equal((await s.stat('big.csv'))?.size, 4 * 1024 * 1024);
    });
  });

  it('closes twice without throwing', async () => {
    const source = await connectSftp(server.connection(''), { timeoutMs: 5000 });
    await source.close();
    await source.close();
  });
});
