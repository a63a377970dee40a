import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { chownSync, readFileSync, existsSync, chmodSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { connectFileSource } from '../../sources/connect';
import type { ConnectionConfig } from '../../domain/connection';
import type { FileSource } from '../../sources/file-source';
import { makeServerDir, putServerFile } from '../support/fixtures';
import type { TestFileServer } from './file-server';
import { expectCode } from './expect-code';

async function sha256Of(stream: NodeJS.ReadableStream): Promise<{ hex: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { hex: hash.digest('hex'), bytes };
}

/**
 * The behaviour every file-source adapter must show against a real server.
 * `trust` says which pin errors the protocol has: SSH host keys, TLS certificates, or none (SMB).
 */
export function describeFileSourceConformance(
  name: string,
  start: () => Promise<TestFileServer>,
  trust: { unknown: 'HOST_KEY_UNKNOWN' | 'TLS_UNTRUSTED'; mismatch: 'HOST_KEY_MISMATCH' | 'TLS_UNTRUSTED' } | null,
) {
  describe(`file source conformance: ${name}`, () => {
    let server: TestFileServer;
    let silent: Server;
    let silentPort = 0;
    const put = (dir: string, file: string, content: Buffer | string) => putServerFile(server, dir, file, content);
    const mkdir = (dir: string) => makeServerDir(server, dir);
    const withSource = async <T>(config: ConnectionConfig, fn: (s: FileSource) => Promise<T>): Promise<T> => {
      const source = await connectFileSource(config, { timeoutMs: 5000, allowLoopback: true });
      try {
        return await fn(source);
      } finally {
        await source.close();
      }
    };

    before(async () => {
      server = await start();
      silent = createServer(() => {
        /* accepts and never answers */
      });
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      silentPort = (silent.address() as { port: number }).port;
    });
    after(async () => {
      silent?.close();
      await server?.stop();
    });

    it('lists regular files only, with size and mtime', async () => {
      mkdir('list');
      put('list', 'IC_Eligibility_a.csv', 'a,b\n1,2\n');
      put('list', 'P_IC_Eligibility_old_20250101T000000Z.csv', 'x');
      put('list', 'readme.txt', 'hello');
      mkdir('list/IC_Eligibility_subdir');
      const files = await withSource(server.connection('list'), (s) => s.list());
      const names = files.map((f) => f.name).sort();
      assert.deepEqual(names, ['IC_Eligibility_a.csv', 'P_IC_Eligibility_old_20250101T000000Z.csv', 'readme.txt']);
      const a = files.find((f) => f.name === 'IC_Eligibility_a.csv')!;
      assert.equal(a.size, 8);
      assert.ok(a.modifiedAt instanceof Date && Math.abs(a.modifiedAt.getTime() - Date.now()) < 10 * 60_000);
      assert.deepEqual(
        names.filter((n) => n.startsWith('IC_Eligibility')),
        ['IC_Eligibility_a.csv'],
      );
    });

    it('stats a file and reports a missing one as undefined', async () => {
      mkdir('stat');
      put('stat', 'IC_Eligibility_s.csv', '12345');
      await withSource(server.connection('stat'), async (s) => {
        assert.equal((await s.stat('IC_Eligibility_s.csv'))?.size, 5);
        assert.equal(await s.stat('nope.csv'), undefined);
      });
    });

    it('streams a 20 MB file byte for byte', async () => {
      mkdir('big');
      const content = randomBytes(20 * 1024 * 1024);
      put('big', 'IC_Eligibility_big.csv', content);
      const expected = createHash('sha256').update(content).digest('hex');
      const got = await withSource(server.connection('big'), async (s) => sha256Of(await s.openRead('IC_Eligibility_big.csv')));
      assert.equal(got.bytes, content.length);
      assert.equal(got.hex, expected);
    });

    it('reads on from a byte past the first where it can say it resumes reads', async () => {
      mkdir('resume');
      const content = randomBytes(3 * 1024 * 1024 + 17);
      put('resume', 'IC_Eligibility_resume.csv', content);
      const from = 1024 * 1024 + 5;
      const got = await withSource(server.connection('resume'), async (s) =>
        s.resumesReads ? sha256Of(await s.openRead('IC_Eligibility_resume.csv', from)) : undefined,
      );
      // SMB (no trust pin) goes through smbclient, whose get cannot start past the first byte
      if (trust === null) return assert.equal(got, undefined);
      assert.deepEqual(got, { hex: createHash('sha256').update(content.subarray(from)).digest('hex'), bytes: content.length - from });
    });

    it('renames, and refuses to overwrite an existing target', async () => {
      const dir = mkdir('rename');
      put('rename', 'IC_Eligibility_r.csv', 'first');
      put('rename', 'taken.csv', 'second');
      await withSource(server.connection('rename'), async (s) => {
        await s.rename('IC_Eligibility_r.csv', 'P_IC_Eligibility_r_20261123T040000Z.csv');
        await expectCode(s.rename('P_IC_Eligibility_r_20261123T040000Z.csv', 'taken.csv'), 'FILE_EXISTS');
      });
      assert.equal(existsSync(join(dir, 'IC_Eligibility_r.csv')), false);
      assert.equal(readFileSync(join(dir, 'P_IC_Eligibility_r_20261123T040000Z.csv'), 'utf8'), 'first');
      assert.equal(readFileSync(join(dir, 'taken.csv'), 'utf8'), 'second');
    });

    it('writes a file into the directory', async () => {
      const dir = mkdir('write');
      const body = Buffer.from('line,code,message\n3,DOB_FORMAT,bad date\n');
      await withSource(server.connection('write'), (s) => s.write('students_errors_20261123T040000Z.csv', body));
      assert.deepEqual(readFileSync(join(dir, 'students_errors_20261123T040000Z.csv')), body);
    });

    it('reports the fingerprint it saw', async () => {
      mkdir('fp');
      const fp = await withSource(server.connection('fp'), async (s) => s.fingerprint);
      assert.equal(fp, server.fingerprint);
    });

    it('AUTH_FAILED for a wrong password', async () => {
      mkdir('auth');
      await expectCode(connectFileSource({ ...server.connection('auth'), password: 'wrong-password' }, { timeoutMs: 10000, allowLoopback: true }), 'AUTH_FAILED');
    });

    it('CONNECTION_REFUSED for a closed port', async () => {
      const probe = createServer();
      await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
      const closedPort = (probe.address() as { port: number }).port;
      await new Promise<void>((resolve) => probe.close(() => resolve()));
      const err = await expectCode(connectFileSource({ ...server.connection(''), port: closedPort }, { timeoutMs: 5000, allowLoopback: true }), 'CONNECTION_REFUSED');
      assert.match(err.message, new RegExp(String(closedPort)));
    });

    it('TIMEOUT for a listener that never answers', async () => {
      await expectCode(connectFileSource({ ...server.connection(''), port: silentPort }, { timeoutMs: 1500, allowLoopback: true }), 'TIMEOUT');
    });

    it('HOST_NOT_FOUND for a name that does not resolve', async () => {
      await expectCode(connectFileSource({ ...server.connection(''), host: 'no-such-host.invalid' }, { timeoutMs: 5000, allowLoopback: true }), 'HOST_NOT_FOUND');
    });

    it('DIRECTORY_NOT_FOUND for a missing directory, naming it', async () => {
      const err = await expectCode(connectFileSource(server.connection('missing/dir'), { timeoutMs: 5000, allowLoopback: true }), 'DIRECTORY_NOT_FOUND');
      assert.match(err.message, /missing/);
    });

    it('PERMISSION_DENIED for a directory the user may not read', async () => {
      const path = mkdir('locked');
      chownSync(path, 0, 0);
      chmodSync(path, 0o700);
      await expectCode(
        connectFileSource(server.connection('locked'), { timeoutMs: 5000, allowLoopback: true }).then(async (s) => {
          try {
            await s.list();
          } finally {
            await s.close();
          }
        }),
        'PERMISSION_DENIED',
      );
    });

    if (trust) {
      it(`${trust.unknown} with the server's fingerprint when nothing is pinned`, async () => {
        mkdir('trust');
        const err = await expectCode(connectFileSource({ ...server.connection('trust'), trust: undefined }, { timeoutMs: 5000, allowLoopback: true }), trust.unknown);
        assert.equal(err.fingerprint, server.fingerprint);
      });

      it(`${trust.mismatch} for a wrong pin`, async () => {
        mkdir('trust');
        const wrong = server.connection('trust');
        wrong.trust = { ...wrong.trust!, sha256: server.fingerprint!.startsWith('SHA256:') ? 'SHA256:' + 'A'.repeat(43) : Array(32).fill('AB').join(':') };
        const err = await expectCode(connectFileSource(wrong, { timeoutMs: 5000, allowLoopback: true }), trust.mismatch);
        assert.equal(err.fingerprint, server.fingerprint);
      });
    }
  });
}
