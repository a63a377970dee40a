import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TLSSocket, createServer as createTlsServer } from 'node:tls';
import type { ConnectionConfig, FtpsMode } from '../../domain/connection';
import { connectFileSource } from '../../sources/connect';
import { connectFtps } from '../../sources/ftps';
import { parseUnixListDate } from '../../sources/ftps-listing';
import { makeServerDir, putServerFile } from '../support/fixtures';
import { ensureTestUser } from '../support/unix-user';
import { describeFileSourceConformance } from './conformance';
import type { TestFileServer } from './file-server';
import { createSelfSignedCertificate, startVsftpd } from './vsftpd';
import { expectCode } from './expect-code';

const TLS_TRUST = { unknown: 'TLS_UNTRUSTED', mismatch: 'TLS_UNTRUSTED' } as const;

describeFileSourceConformance('FTPS explicit (vsftpd)', () => startVsftpd({ mode: 'explicit' }), TLS_TRUST);
describeFileSourceConformance('FTPS implicit (vsftpd)', () => startVsftpd({ mode: 'implicit' }), TLS_TRUST);

/**
 * A fake FTPS server that records every command line it receives, to prove what the
 * client sends before trust is settled. It answers USER with 331 and everything else with 530.
 */
interface RecordingFtpsServer {
  port: number;
  fingerprint: string;
  commands: string[];
  /** The TLS server name (SNI) each handshake asked for; false or null when none was sent. */
  serverNames: (string | false | null)[];
  close(): Promise<void>;
}

async function startRecordingFtpsServer(mode: FtpsMode): Promise<RecordingFtpsServer> {
  const dir = mkdtempSync(join(tmpdir(), 'si-fake-ftps-'));
  const certificate = createSelfSignedCertificate(dir);
  const tls = { key: readFileSync(certificate.keyFile), cert: readFileSync(certificate.certFile) };
  const commands: string[] = [];
  const serverNames: (string | false | null)[] = [];
  const sockets = new Set<Socket>();

  /** Calls `onLine` per CRLF-terminated line; returns a function that stops reading. */
  const readLines = (socket: Socket, onLine: (line: string) => void) => {
    let buffered = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      let end: number;
      while ((end = buffered.indexOf('\r\n')) >= 0) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        onLine(line);
      }
    };
    socket.on('data', onData);
    return () => socket.off('data', onData);
  };
  const serveCommands = (socket: Socket) =>
    readLines(socket, (line) => {
      commands.push(line);
      socket.write(line.startsWith('USER ') ? '331 Password please.\r\n' : '530 Not logged in.\r\n');
    });
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  };

  let server: Server;
  if (mode === 'implicit') {
    server = createTlsServer(tls, (socket) => {
      track(socket);
      serverNames.push(socket.servername);
      socket.write('220 fake implicit FTPS\r\n');
      serveCommands(socket);
    });
  } else {
    server = createTcpServer((socket) => {
      track(socket);
      socket.write('220 fake explicit FTPS\r\n');
      const stopPlain = readLines(socket, (line) => {
        commands.push(line);
        if (line !== 'AUTH TLS') {
          socket.write('530 Please use AUTH TLS first.\r\n');
          return;
        }
        stopPlain();
        socket.write('234 Proceed with negotiation.\r\n');
        const secure = new TLSSocket(socket, { isServer: true, ...tls });
        secure.once('secure', () => serverNames.push(secure.servername));
        track(secure);
        serveCommands(secure);
      });
    });
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    fingerprint: certificate.fingerprint,
    commands,
    serverNames,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

for (const mode of ['explicit', 'implicit'] as const) {
  describe(`FTPS ${mode}: no credential before trust is settled`, () => {
    let fake: RecordingFtpsServer;
    const user = ensureTestUser();
    const config = (trust: ConnectionConfig['trust']): ConnectionConfig => ({
      protocol: 'ftps',
      ftpsMode: mode,
      host: '127.0.0.1',
      port: fake.port,
      username: user.name,
      password: user.password,
      directoryPath: '',
      trust,
    });
    const sentCredentials = () => fake.commands.filter((c) => /^(USER|PASS)\b/i.test(c));

    before(async () => {
      fake = await startRecordingFtpsServer(mode);
    });
    after(async () => {
      await fake?.close();
    });

    it('sends no USER/PASS to a server with an unpinned self-signed certificate', async () => {
      fake.commands.length = 0;
      const err = await expectCode(connectFileSource(config(undefined), { timeoutMs: 5000, allowLoopback: true }), 'TLS_UNTRUSTED');
      assert.equal(err.fingerprint, fake.fingerprint);
      assert.deepEqual(sentCredentials(), []);
    });

    it('sends no USER/PASS when the certificate does not match the pin', async () => {
      fake.commands.length = 0;
      const err = await expectCode(connectFileSource(config({ sha256: Array(32).fill('AB').join(':') }), { timeoutMs: 5000, allowLoopback: true }), 'TLS_UNTRUSTED');
      assert.equal(err.fingerprint, fake.fingerprint);
      assert.match(err.message, /does not match/);
      assert.deepEqual(sentCredentials(), []);
    });

    it('connects to the address it is given, and asks TLS for the host name', async () => {
      fake.serverNames.length = 0;
      const named = { ...config({ sha256: fake.fingerprint }), host: 'files.district.invalid' };
      const error = await expectCode(connectFtps(named, { timeoutMs: 5000, address: '127.0.0.1' }), 'AUTH_FAILED');
      // The other tests connect to 127.0.0.1 by address, which sends no server name (and may finish a handshake late).
      assert.deepEqual(fake.serverNames.filter((name) => typeof name === 'string'), ['files.district.invalid']);
      assert.match(error.message, /^FTPS files\.district\.invalid:/);
    });

    it('does log in once the pin matches (the recorder sees credentials), accepting lower-case hex without colons', async () => {
      fake.commands.length = 0;
      const pin = fake.fingerprint.replace(/:/g, '').toLowerCase();
      await expectCode(connectFileSource(config({ sha256: pin }), { timeoutMs: 5000, allowLoopback: true }), 'AUTH_FAILED');
      assert.deepEqual(
        sentCredentials().map((c) => c.split(' ')[0]),
        ['USER', 'PASS'],
      );
    });
  });
}

describe('FTPS specifics (vsftpd)', () => {
  let explicit: TestFileServer;
  let implicit: TestFileServer;

  before(async () => {
    [explicit, implicit] = await Promise.all([startVsftpd({ mode: 'explicit' }), startVsftpd({ mode: 'implicit' })]);
  });
  after(async () => {
    await Promise.all([explicit?.stop(), implicit?.stop()]);
  });

  it('explicit client against an implicit server: PROTOCOL_ERROR telling to check ftpsMode', async () => {
    const err = await expectCode(connectFileSource({ ...implicit.connection(''), ftpsMode: 'explicit' }, { timeoutMs: 5000, allowLoopback: true }), 'PROTOCOL_ERROR');
    assert.match(err.message, /ftpsMode/);
  });

  it('implicit client against an explicit server: PROTOCOL_ERROR telling to check ftpsMode', async () => {
    const err = await expectCode(connectFileSource({ ...explicit.connection(''), ftpsMode: 'implicit' }, { timeoutMs: 5000, allowLoopback: true }), 'PROTOCOL_ERROR');
    assert.match(err.message, /ftpsMode/);
  });

  it('defaults to implicit mode when ftpsMode is not set', async () => {
    const { ftpsMode: _mode, ...config } = implicit.connection('');
    const source = await connectFileSource(config, { timeoutMs: 5000, allowLoopback: true });
    await source.close();
  });

  it('accepts a directory path with backslashes', async () => {
    putServerFile(explicit, 'deep/inbox', 'IC_Eligibility_x.csv', 'x');
    const source = await connectFileSource(explicit.connection('deep\\inbox'), { timeoutMs: 5000, allowLoopback: true });
    try {
      assert.deepEqual((await source.list()).map((f) => f.name), ['IC_Eligibility_x.csv']);
    } finally {
      await source.close();
    }
  });

  it('DIRECTORY_NOT_FOUND when the path names a file', async () => {
    putServerFile(explicit, 'afile', 'plain.txt', 'x');
    const err = await expectCode(connectFileSource(explicit.connection('afile/plain.txt'), { timeoutMs: 5000, allowLoopback: true }), 'DIRECTORY_NOT_FOUND');
    assert.match(err.message, /not a directory/);
  });

  it('serialises concurrent operations on one session, and reports exact MDTM times', async () => {
    putServerFile(explicit, 'busy', 'a.csv', 'aaaa');
    putServerFile(explicit, 'busy', 'b.csv', 'bb');
    const mtime = new Date('2026-01-02T03:04:05Z');
    utimesSync(join(explicit.rootDir, 'busy', 'a.csv'), mtime, mtime);
    const source = await connectFileSource(explicit.connection('busy'), { timeoutMs: 5000, allowLoopback: true });
    try {
      const [files, a, b, text] = await Promise.all([
        source.list(),
        source.stat('a.csv'),
        source.stat('b.csv'),
        source.openRead('b.csv').then(async (stream) => {
          let body = '';
          for await (const chunk of stream) body += String(chunk);
          return body;
        }),
      ]);
      assert.equal(files.length, 2);
      assert.equal(a?.modifiedAt.toISOString(), mtime.toISOString());
      assert.equal(b?.size, 2);
      assert.equal(text, 'bb');
    } finally {
      await source.close();
    }
  });

  it('keeps working after a reader abandons a download half way', async () => {
    putServerFile(explicit, 'abandon', 'big.csv', Buffer.alloc(8 * 1024 * 1024, 'x'));
    putServerFile(explicit, 'abandon', 'small.csv', 'small');
    const source = await connectFileSource(explicit.connection('abandon'), { timeoutMs: 5000, allowLoopback: true });
    try {
      const stream = await source.openRead('big.csv');
      for await (const _chunk of stream) break; // destroys the stream after the first chunk
      const again = await source.openRead('small.csv');
      let body = '';
      for await (const chunk of again) body += String(chunk);
      assert.equal(body, 'small');
    } finally {
      await source.close();
    }
  });

  it('FILE_NOT_FOUND for a missing file, UNSAFE_FILE_NAME for a path', async () => {
    putServerFile(explicit, 'files', 'here.csv', 'x');
    const source = await connectFileSource(explicit.connection('files'), { timeoutMs: 5000, allowLoopback: true });
    try {
      await expectCode(source.openRead('gone.csv'), 'FILE_NOT_FOUND');
      await expectCode(source.rename('gone.csv', 'P_gone.csv'), 'FILE_NOT_FOUND');
      await expectCode(source.openRead('../here.csv'), 'UNSAFE_FILE_NAME');
      await expectCode(source.write('sub\\x.csv', Buffer.from('x')), 'UNSAFE_FILE_NAME');
      assert.equal((await source.stat('here.csv'))?.size, 1);
    } finally {
      await source.close();
    }
  });

  it('close() never throws, even twice', async () => {
    const source = await connectFileSource(explicit.connection(''), { timeoutMs: 5000, allowLoopback: true });
    await source.close();
    await source.close();
  });
});

describe('LIST date fallback', () => {
  const now = new Date('2026-03-10T12:00:00Z');
  it('reads recent and old Unix listing dates as UTC', () => {
    assert.equal(parseUnixListDate('Mar  9 04:05', now)?.toISOString(), '2026-03-09T04:05:00.000Z');
    assert.equal(parseUnixListDate('Nov 23 04:00', now)?.toISOString(), '2025-11-23T04:00:00.000Z');
    assert.equal(parseUnixListDate('Nov 23  2024', now)?.toISOString(), '2024-11-23T00:00:00.000Z');
    assert.equal(parseUnixListDate('2024-11-23 04:00', now), undefined);
  });
});
