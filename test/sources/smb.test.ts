import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { connectFileSource } from '../../sources/connect';
import type { FileSource } from '../../sources/file-source';
import { ConnectionError } from '../../domain/connection-errors';
import { expectCode } from './expect-code';
import type { ConnectionConfig } from '../../domain/connection';
import { isRegularFile, parseSmbListing } from '../../sources/smb-listing';
import { unsafeNameReason } from '../../sources/smb-paths';
import { ntStatusOf, sessionRefusal } from '../../sources/smb-status';
import { parseSmbSession } from '../../sources/smb-security';
import { ensureTestUser } from '../support/unix-user';
import { describeFileSourceConformance } from './conformance';
import { startSmbd, type SmbdProfile, type SmbTestServer } from './smbd';

describeFileSourceConformance('SMB, Samba with Debian defaults', () => startSmbd('debian'), null);
describeFileSourceConformance('SMB, Samba hardened (signing, SMB3 only, encryption)', () => startSmbd('hardened'), null);

// ---------------------------------------------------------------------------------------------
// Helpers

const user = ensureTestUser();

/** Places a file as the share's owner would, optionally with a given mtime. */
function putFile(dir: string, name: string, content: Buffer | string, mtime?: Date) {
  mkdirSync(dir, { recursive: true });
  chownSync(dir, user.uid, user.gid);
  const path = join(dir, name);
  writeFileSync(path, content);
  chownSync(path, user.uid, user.gid);
  if (mtime) utimesSync(path, mtime, mtime);
}

async function withSource<T>(config: ConnectionConfig, fn: (s: FileSource) => Promise<T>, timeoutMs = 5000): Promise<T> {
  const source = await connectFileSource(config, { timeoutMs, allowLoopback: true });
  try {
    return await fn(source);
  } finally {
    await source.close();
  }
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/**
 * Puts a recording `smbclient` first on PATH: it notes each run's argv, its environment's
 * names and HOME, the mode of its `-A` file and that file's key names (never its values),
 * then execs the real smbclient.
 */
function installSmbclientSpy() {
  const realSmbclient = execFileSync('sh', ['-c', 'command -v smbclient']).toString().trim();
  const binDir = mkdtempSync(join(tmpdir(), 'si-smbclient-spy-'));
  const logDir = join(binDir, 'log');
  mkdirSync(logDir);
  writeFileSync(
    join(binDir, 'smbclient'),
    [
      '#!/bin/sh',
      `log="${logDir}/$$"`,
      `printf '%s\\0' "$@" > "$log.args"`,
      `env | sed -n 's/^\\([A-Za-z_][A-Za-z0-9_]*\\)=.*/\\1/p' | sort > "$log.env"`,
      `printf '%s' "$HOME" > "$log.home"`,
      'auth=""; previous=""',
      'for arg in "$@"; do [ "$previous" = "-A" ] && auth="$arg"; previous="$arg"; done',
      'if [ -n "$auth" ]; then',
      '  stat -c %a "$auth" > "$log.mode"',
      `  sed 's/ *=.*//' "$auth" > "$log.keys"`,
      `  grep '^domain' "$auth" > "$log.domain" || true`,
      'fi',
      `exec "${realSmbclient}" "$@"`,
      '',
    ].join('\n'),
  );
  chmodSync(join(binDir, 'smbclient'), 0o755);
  const originalPath = process.env.PATH;
  process.env.PATH = `${binDir}:${originalPath}`;

  const read = (pid: string, kind: string) => {
    const path = join(logDir, `${pid}.${kind}`);
    return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  };
  return {
    /** Every smbclient run since the last clear(). */
    runs: () =>
      readdirSync(logDir)
        .filter((f) => f.endsWith('.args'))
        .map((f) => f.slice(0, -'.args'.length))
        .map((pid) => {
          const args = read(pid, 'args')!.split('\0').slice(0, -1);
          return {
            pid: Number(pid),
            args,
            envNames: read(pid, 'env')?.trim().split('\n'),
            home: read(pid, 'home'),
            authPath: args[args.indexOf('-A') + 1]!,
            authMode: read(pid, 'mode')?.trim(),
            authKeys: read(pid, 'keys')?.trim().split('\n'),
            domainLine: read(pid, 'domain')?.trim(),
          };
        }),
    clear: () => {
      for (const f of readdirSync(logDir)) rmSync(join(logDir, f));
    },
    uninstall: () => {
      process.env.PATH = originalPath;
      rmSync(binDir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------

describe('SMB adapter against Samba with Debian defaults', () => {
  let server: SmbTestServer;
  let spy: ReturnType<typeof installSmbclientSpy>;
  const dirOf = (subdir: string) => join(server.rootDir, subdir);

  before(async () => {
    server = await startSmbd('debian');
    spy = installSmbclientSpy();
  });
  after(async () => {
    spy?.uninstall();
    await server?.stop();
  });
  beforeEach(() => spy.clear());

  it('reads modification times as UTC to the second, whatever the local time zone', async () => {
    const mtime = new Date('2024-02-29T23:34:56Z');
    putFile(dirOf('mtime'), 'IC_Eligibility_leap.csv', 'x', mtime);
    const originalTz = process.env.TZ;
    process.env.TZ = 'Pacific/Chatham';
    try {
      const files = await withSource(server.connection('mtime'), (s) => s.list());
      assert.equal(files[0]?.modifiedAt.toISOString(), mtime.toISOString());
      const stat = await withSource(server.connection('mtime'), (s) => s.stat('IC_Eligibility_leap.csv'));
      assert.equal(stat?.modifiedAt.toISOString(), mtime.toISOString());
    } finally {
      if (originalTz === undefined) delete process.env.TZ;
      else process.env.TZ = originalTz;
    }
  });

  it('carries every name Windows allows: spaces, quotes, %, $, non-ASCII, names past the 30-column padding', async () => {
    const names = [
      'two  spaces.csv',
      ' leading space.csv',
      "apo'strophe.csv",
      'pct%s $HOME &amp.csv',
      'ümlaut ß 東京.csv',
      'exactly-thirty-bytes-name1.csv',
      // `:` cannot occur (Samba would show an 8.3 name), so a name cannot end in a whole date field
      'a name longer than thirty bytes, with field-like text    N        1  Mon Jan  1 2024.csv',
      '-dash [1] (2) {3} #4 @5 ~6 =7 +8 ,9.csv',
    ];
    for (const [i, name] of names.entries()) putFile(dirOf('names'), name, `content ${i}`);

    await withSource(server.connection('names'), async (s) => {
      const listed = await s.list();
      assert.deepEqual(listed.map((f) => f.name).sort(), [...names].sort());
      for (const [i, name] of names.entries()) {
        assert.equal((await s.stat(name))?.size, `content ${i}`.length, name);
        assert.equal((await readAll(await s.openRead(name))).toString(), `content ${i}`, name);
      }
      await s.rename(names[1]!, `P_${names[1]!}`);
      await s.write(`written ${names[4]!}`, Buffer.from('w'));
    });
    assert.equal(readFileSync(join(dirOf('names'), `P_${names[1]!}`), 'utf8'), 'content 1');
    assert.equal(readFileSync(join(dirOf('names'), `written ${names[4]!}`), 'utf8'), 'w');
  });

  it('lists names smbclient cannot carry, and refuses every command with them', async () => {
    // The `raw` share shows names as they are; `data` would show them as 8.3 names like `AB12CD~1.CSV`.
    const unsafe = ['semi;colon.csv', 'quo"te.csv', 'new\nline.csv', 'tab\there.csv', 'star*.csv', 'colon:stream.csv', 'pipe|x.csv'];
    for (const name of [...unsafe, 'IC_Eligibility_ok.csv']) putFile(dirOf('unsafe'), name, name);
    const config = { ...server.connection('unsafe'), directoryPath: `${server.rawShare}/unsafe` };

    await withSource(config, async (s) => {
      assert.deepEqual((await s.list()).map((f) => f.name).sort(), [...unsafe, 'IC_Eligibility_ok.csv'].sort());
      spy.clear();
      for (const name of unsafe) {
        await expectCode(s.stat(name), 'UNSAFE_FILE_NAME');
        await expectCode(s.openRead(name), 'UNSAFE_FILE_NAME');
        await expectCode(s.rename(name, 'P_x.csv'), 'UNSAFE_FILE_NAME');
        await expectCode(s.rename('IC_Eligibility_ok.csv', name), 'UNSAFE_FILE_NAME');
        await expectCode(s.write(name, Buffer.from('x')), 'UNSAFE_FILE_NAME');
      }
      assert.deepEqual(spy.runs(), [], 'no smbclient run for an unsafe name');
    });
    for (const name of unsafe) assert.equal(readFileSync(join(dirOf('unsafe'), name), 'utf8'), name);
    assert.equal(existsSync(join(dirOf('unsafe'), 'P_x.csv')), false);
  });

  it('refuses a directory path smbclient cannot carry, before running anything', async () => {
    await expectCode(connectFileSource({ ...server.connection(''), directoryPath: 'data/a;b' }, { allowLoopback: true }), 'UNSAFE_FILE_NAME');
    assert.deepEqual(spy.runs(), []);
  });

  it('accepts `\\` separators in the directory path', async () => {
    putFile(join(dirOf('back'), 'slash'), 'IC_Eligibility_b.csv', 'b');
    const files = await withSource({ ...server.connection(''), directoryPath: 'data\\back\\slash' }, (s) => s.list());
    assert.deepEqual(files.map((f) => f.name), ['IC_Eligibility_b.csv']);
  });

  it('passes the domain in the credentials file; standalone Samba ignores it', async () => {
    putFile(dirOf('domain'), 'IC_Eligibility_d.csv', 'd');
    const files = await withSource({ ...server.connection('domain'), domain: 'DISTRICT' }, (s) => s.list());
    assert.deepEqual(files.map((f) => f.name), ['IC_Eligibility_d.csv']);
    assert.ok(spy.runs().length > 0);
    for (const run of spy.runs()) assert.equal(run.domainLine, 'domain = DISTRICT');
  });

  it('keeps the password off the command line, in a 0600 file that close() removes', async () => {
    putFile(dirOf('secret'), 'IC_Eligibility_s.csv', 's');
    const config = server.connection('secret');
    await withSource(config, async (s) => {
      await s.list();
      await readAll(await s.openRead('IC_Eligibility_s.csv'));
      await s.write('out.csv', Buffer.from('o'));
    });
    const runs = spy.runs();
    assert.ok(runs.length >= 4);
    for (const run of runs) {
      assert.ok(!run.args.some((arg) => arg.includes(config.password!)), `password in argv: ${run.args.join(' ')}`);
      assert.equal(run.authMode, '600');
      assert.deepEqual(run.authKeys, ['username', 'password']);
      assert.equal(existsSync(run.authPath), false, 'auth file removed on close');
    }
  });

  it("gives smbclient only PATH, TZ, LC_ALL and a private HOME: nothing of the worker's environment", async () => {
    putFile(dirOf('env'), 'IC_Eligibility_e.csv', 'e');
    const worker = { SECRETS_KEY: 'secrets-key-value', DATABASE_URL: 'postgres://u:p@db/si', ADMIN_API_KEY: 'admin-key-value', SI_ANY_OTHER: 'x' };
    const saved = Object.fromEntries(Object.keys(worker).map((name) => [name, process.env[name]]));
    Object.assign(process.env, worker);
    try {
      await withSource(server.connection('env'), async (s) => {
        await s.list();
        await readAll(await s.openRead('IC_Eligibility_e.csv'));
        await s.smbSession!();
      });
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
    const runs = spy.runs();
    assert.ok(runs.length >= 3);
    for (const run of runs) {
      // PWD is the recording shell's own
      assert.deepEqual(run.envNames, ['HOME', 'LC_ALL', 'PATH', 'PWD', 'TZ']);
      assert.equal(run.home, dirname(run.authPath), "HOME is the session's private directory");
    }
  });

  it('removes the credentials file when connecting fails, and never puts the password in the error', async () => {
    const config = { ...server.connection('secret'), password: 'Wrong-Password-1' };
    const error = await expectCode(connectFileSource(config, { timeoutMs: 5000, allowLoopback: true }), 'AUTH_FAILED');
    assert.ok(!error.message.includes(config.password), error.message);
    assert.equal(error.retryable, false);
    for (const run of spy.runs()) assert.equal(existsSync(run.authPath), false);
  });

  it('refuses a password smbclient cannot read from its credentials file, without trying it', async () => {
    await expectCode(connectFileSource({ ...server.connection(''), password: ' starts with a space' }, { allowLoopback: true }), 'AUTH_FAILED');
    await expectCode(connectFileSource({ ...server.connection(''), password: 'two\nlines' }, { allowLoopback: true }), 'AUTH_FAILED');
    assert.deepEqual(spy.runs(), []);
  });

  it('reads an unknown user as PERMISSION_DENIED: `map to guest = bad user` admits it as guest, and a guest session cannot sign', async () => {
    const error = await expectCode(connectFileSource({ ...server.connection(''), username: 'nobody-here' }, { timeoutMs: 5000, allowLoopback: true }), 'PERMISSION_DENIED');
    assert.match(error.message, /unknown user/);
  });

  it('DIRECTORY_NOT_FOUND for a missing share', async () => {
    const error = await expectCode(connectFileSource({ ...server.connection(''), directoryPath: 'nosuchshare/x' }, { timeoutMs: 5000, allowLoopback: true }), 'DIRECTORY_NOT_FOUND');
    assert.match(error.message, /nosuchshare/);
  });

  it('a missing file fails the stream with FILE_NOT_FOUND; rename of a missing file too', async () => {
    mkdirSync(dirOf('gone'), { recursive: true });
    chownSync(dirOf('gone'), user.uid, user.gid);
    await withSource(server.connection('gone'), async (s) => {
      await expectCode(readAll(await s.openRead('nope.csv')), 'FILE_NOT_FOUND');
      await expectCode(s.rename('nope.csv', 'P_nope.csv'), 'FILE_NOT_FOUND');
    });
  });

  it('bounds silence, not length: a reader that holds back longer than the timeout still gets every byte', async () => {
    const content = randomBytes(32 * 1024 * 1024);
    putFile(dirOf('slow'), 'IC_Eligibility_slow.csv', content);
    const got = await withSource(
      server.connection('slow'),
      async (s) => {
        const stream = await s.openRead('IC_Eligibility_slow.csv');
        const chunks: Buffer[] = [];
        for await (const chunk of stream) {
          if (chunks.length === 0) await sleep(2500);
          chunks.push(chunk as Buffer);
        }
        return Buffer.concat(chunks);
      },
      1000,
    );
    assert.equal(got.length, content.length);
    assert.equal(sha256(got), sha256(content));
  });

  it('a reader that stops early ends its smbclient process', async () => {
    putFile(dirOf('early'), 'IC_Eligibility_early.csv', randomBytes(32 * 1024 * 1024));
    await withSource(server.connection('early'), async (s) => {
      spy.clear();
      const stream = await s.openRead('IC_Eligibility_early.csv');
      for await (const _chunk of stream) break;
      const [run] = spy.runs();
      assert.ok(run);
      for (let i = 0; i < 50 && existsSync(`/proc/${run.pid}`); i++) await sleep(20);
      assert.equal(existsSync(`/proc/${run.pid}`), false, 'smbclient still running');
    });
  });
});

describe('SMB adapter when the server goes away mid-transfer', () => {
  it('fails the stream (never a short file)', async () => {
    const server = await startSmbd('debian');
    try {
      const size = 64 * 1024 * 1024;
      putFile(server.rootDir, 'IC_Eligibility_cut.csv', randomBytes(size));
      const source = await connectFileSource(server.connection(''), { timeoutMs: 5000, allowLoopback: true });
      try {
        const reading = (await source.openRead('IC_Eligibility_cut.csv'))[Symbol.asyncIterator]();
        let bytes = ((await reading.next()).value as Buffer).length;
        await server.stop();
        const error = await (async () => {
          for (;;) {
            const next = await reading.next();
            if (next.done) return undefined;
            bytes += (next.value as Buffer).length;
          }
        })().catch((e: unknown) => e);
        assert.ok(error instanceof ConnectionError, `stream ended after ${bytes} of ${size} bytes without an error`);
        assert.equal(error.retryable, true);
        assert.ok(bytes < size);
      } finally {
        await source.close();
      }
    } finally {
      await server.stop();
    }
  });
});

describe('SMB session security: SMB3, signing and encryption unless the connection says legacy', () => {
  const servers = new Map<SmbdProfile, SmbTestServer>();
  const server = (profile: SmbdProfile) => servers.get(profile)!;
  const legacy = (config: ConnectionConfig): ConnectionConfig => ({ ...config, smbSecurity: 'legacy' });
  const sessionOf = (config: ConnectionConfig) => withSource(config, (s) => s.smbSession!());

  before(async () => {
    const profiles: SmbdProfile[] = ['debian', 'hardened', 'legacy', 'unencrypted'];
    const started = await Promise.allSettled(profiles.map((profile) => startSmbd(profile)));
    started.forEach((result, i) => result.status === 'fulfilled' && servers.set(profiles[i]!, result.value));
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
  });
  after(async () => {
    for (const s of servers.values()) await s.stop();
  });

  /**
   * The server's own view (smbstatus) of the adapter's session (`-b`: dialect) and of its
   * tree connect to the share (`-S`: encryption, signing), taken while a download holds them open.
   */
  async function serverView(profile: SmbdProfile, config: ConnectionConfig): Promise<{ session: string; share: string }> {
    putFile(server(profile).rootDir, 'IC_Eligibility_view.csv', randomBytes(16 * 1024 * 1024));
    return withSource(config, async (s) => {
      const stream = await s.openRead('IC_Eligibility_view.csv');
      await stream[Symbol.asyncIterator]().next(); // the transfer now waits for us, with its session open
      const smbstatus = (option: string) => execFileSync('smbstatus', ['-s', server(profile).configPath, option], { encoding: 'utf8' }).split('\n');
      const session = smbstatus('-b').find((line) => line.includes(user.name));
      const share = smbstatus('-S').find((line) => line.startsWith('data '));
      stream.destroy();
      assert.ok(session && share);
      return { session, share };
    });
  }

  it('the hardened server really refuses clients below SMB3', () => {
    const result = spawnSync('smbclient', [`//127.0.0.1/data`, '-p', String(server('hardened').port), '-m', 'SMB2', '-N', '-E', '-c', 'ls'], { encoding: 'utf8', timeout: 10_000 });
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /NT_STATUS_NOT_SUPPORTED/);
  });

  it('by default the session is SMB3, signed and encrypted, on hardened Samba and on Debian defaults alike', async () => {
    for (const profile of ['hardened', 'debian'] as const) {
      const session = await sessionOf(server(profile).connection(''));
      assert.match(session.dialect, /^SMB3_\d+$/, profile);
      assert.deepEqual({ signed: session.signed, encrypted: session.encrypted }, { signed: true, encrypted: true }, profile);
    }
  });

  it("by default the server agrees: smbstatus shows the adapter's share traffic encrypted, on Debian defaults too", async () => {
    for (const profile of ['hardened', 'debian'] as const) {
      const view = await serverView(profile, server(profile).connection(''));
      assert.match(view.session, /\sSMB3_\d+\s/, profile);
      // columns: … encryption, signing
      assert.match(view.share, /\sAES-\d+-(GCM|CCM)\s+(AES|HMAC)\S*\s*$/, profile);
    }
  });

  it('by default a server offering at most SMB2.1 is refused: SMB_ENCRYPTION_UNAVAILABLE, not retried, naming "legacy" as unsafe', async () => {
    const config = server('legacy').connection('');
    const error = await expectCode(connectFileSource(config, { timeoutMs: 5000, allowLoopback: true }), 'SMB_ENCRYPTION_UNAVAILABLE');
    assert.equal(error.retryable, false);
    assert.match(error.message, /no SMB3 dialect/);
    assert.match(error.message, /smbSecurity to "legacy" accepts SMB2 and unencrypted sessions, which is unsafe/);
    assert.match(error.message, new RegExp(`:${config.port},`));
    assert.ok(!error.message.includes(config.password!));
  });

  it('by default an SMB3 server without encryption is refused: SMB_ENCRYPTION_UNAVAILABLE', async () => {
    const error = await expectCode(connectFileSource(server('unencrypted').connection(''), { timeoutMs: 5000, allowLoopback: true }), 'SMB_ENCRYPTION_UNAVAILABLE');
    assert.match(error.message, /does not encrypt SMB3 sessions/);
  });

  it('legacy accepts both, signed but not encrypted', async () => {
    putFile(join(server('legacy').rootDir, 'old'), 'IC_Eligibility_old.csv', 'old');
    const files = await withSource(legacy(server('legacy').connection('old')), (s) => s.list());
    assert.deepEqual(files.map((f) => f.name), ['IC_Eligibility_old.csv']);
    assert.deepEqual(await sessionOf(legacy(server('legacy').connection(''))), { dialect: 'SMB2_10', signed: true, encrypted: false });
    assert.deepEqual(await sessionOf(legacy(server('unencrypted').connection(''))), { dialect: 'SMB3_11', signed: true, encrypted: false });
  });

  it('the server agrees that a legacy session is signed and not encrypted', async () => {
    const view = await serverView('legacy', legacy(server('legacy').connection('')));
    assert.match(view.session, /\sSMB2_10\s/);
    // columns: … encryption (`-`: none), signing
    assert.match(view.share, /\s-\s+HMAC-SHA256\s*$/);
  });

  it('an unknown user name never gets in as guest, not even with legacy: a guest session cannot sign', async () => {
    const guestShare = { ...server('debian').connection(''), username: 'nobody-here', directoryPath: server('debian').guestShare };
    const asGuest = spawnSync('smbclient', [`//127.0.0.1/${guestShare.directoryPath}`, '-p', String(guestShare.port), '-N', '-E', '-c', 'ls'], { encoding: 'utf8', timeout: 10_000 });
    assert.equal(asGuest.status, 0, `the share admits guests: ${asGuest.stderr}`);
    await expectCode(connectFileSource(guestShare, { timeoutMs: 5000, allowLoopback: true }), 'PERMISSION_DENIED');
    await expectCode(connectFileSource(legacy(guestShare), { timeoutMs: 5000, allowLoopback: true }), 'PERMISSION_DENIED');
  });

  it('legacy still encrypts when the server can', async () => {
    assert.deepEqual(await sessionOf(legacy(server('debian').connection(''))), { dialect: 'SMB3_11', signed: true, encrypted: true });
  });
});

// ---------------------------------------------------------------------------------------------

describe('smbclient output parsing', () => {
  const line = (name: string, attributes: string, size: number, date = 'Thu Mar  5 04:05:06 2026') =>
    `  ${name.padEnd(30)}${attributes.padStart(7)} ${String(size).padStart(8)}  ${date}`;

  it('takes fixed-width fields off the right, keeping spaces and field-like text inside names', () => {
    const output = [
      line('.', 'D', 0),
      line('..', 'D', 0),
      line('a very long name ending like a field    N        1  Mon Jan  1 00:00:00 2024.csv', 'A', 123456789012),
      line('  two leading', 'N', 1),
      line('dir', 'DA', 0),
      line('hidden', 'AHS', 7, 'Mon Dec 31 23:59:59 2029'),
      '',
      '\t\t264212084 blocks of size 1024. 81971256 blocks available',
    ].join('\n');
    const entries = parseSmbListing(output);
    assert.deepEqual(
      entries.map((e) => [e.name, e.attributes, e.size]),
      [
        ['.', 'D', 0],
        ['..', 'D', 0],
        ['a very long name ending like a field    N        1  Mon Jan  1 00:00:00 2024.csv', 'A', 123456789012],
        ['  two leading', 'N', 1],
        ['dir', 'DA', 0],
        ['hidden', 'AHS', 7],
      ],
    );
    assert.equal(entries[0]?.modifiedAt.toISOString(), '2026-03-05T04:05:06.000Z');
    assert.equal(entries[5]?.modifiedAt.toISOString(), '2029-12-31T23:59:59.000Z');
    assert.deepEqual(entries.filter(isRegularFile).map((e) => e.name), ['a very long name ending like a field    N        1  Mon Jan  1 00:00:00 2024.csv', '  two leading', 'hidden']);
  });

  it('pads by bytes, not characters', () => {
    const name = 'ümlaut.csv'; // 11 bytes, 10 characters
    const entries = parseSmbListing(`  ${name}${' '.repeat(30 - Buffer.byteLength(name))}      N        1  Thu Mar  5 04:05:06 2026`);
    assert.equal(entries[0]?.name, name);
  });

  it('joins a name that spans lines', () => {
    const entries = parseSmbListing([line('x.csv', 'N', 1), line('first\nsecond\nthird', 'N', 2), line('y.csv', 'N', 3)].join('\n'));
    assert.deepEqual(entries.map((e) => e.name), ['x.csv', 'first\nsecond\nthird', 'y.csv']);
  });

  it('takes the NT status from messages, not from listed names', () => {
    assert.equal(ntStatusOf(`${line('NT_STATUS_FAKE.csv', 'N', 1)}\nNT_STATUS_ACCESS_DENIED listing \\dir\\*`), 'NT_STATUS_ACCESS_DENIED');
    assert.equal(ntStatusOf('do_connect: Connection to h failed (Error NT_STATUS_CONNECTION_REFUSED)'), 'NT_STATUS_CONNECTION_REFUSED');
    assert.equal(ntStatusOf('nothing here'), undefined);
  });

  /** The lines parseSmbSession and sessionRefusal read, in the order smbclient 4.17 prints them at `-d 5` (other debug lines left out). */
  const debugRun = (afterSessionSetup: string[], afterTreeConnect: string[], dialect = 'SMB3_11') =>
    [
      'Client started (version 4.17.12-Debian).',
      'Connecting to 127.0.0.1 at port 445',
      ' session request ok',
      ` negotiated dialect[${dialect}] against server[127.0.0.1]`,
      'Got challenge flags:',
      '  NTLMSSP_NEGOTIATE_SIGN',
      ' session setup ok',
      ...afterSessionSetup,
      ' tconx ok',
      ...afterTreeConnect,
    ].join('\n');
  const ENCRYPTED = ['smb2_signing_encrypt_pdu: Encrypted SMB2 message', 'smb2_signing_decrypt_pdu: Decrypted SMB2 message'];
  const SIGNED = ['signed SMB2 message (sign_algo_id=0)'];

  it('reads the dialect, and signing and encryption from what smbclient sent after the tree connect', () => {
    assert.deepEqual(parseSmbSession(debugRun(ENCRYPTED, ENCRYPTED)), { dialect: 'SMB3_11', signed: true, encrypted: true });
    assert.deepEqual(parseSmbSession(debugRun(SIGNED, SIGNED, 'SMB2_10')), { dialect: 'SMB2_10', signed: true, encrypted: false });
    // signed or encrypted only until the tree connect: the share's traffic was neither
    assert.deepEqual(parseSmbSession(debugRun([...SIGNED, ...ENCRYPTED], [], 'SMB2_02')), { dialect: 'SMB2_02', signed: false, encrypted: false });
  });

  it('reads nothing when the lines are missing, and only the last tree connect counts', () => {
    assert.equal(parseSmbSession('Connecting to 127.0.0.1 at port 445\n tconx ok'), undefined);
    assert.equal(parseSmbSession(' negotiated dialect[SMB3_11] against server[127.0.0.1]\n session setup ok'), undefined);
    const forged = debugRun([' tconx ok', ...ENCRYPTED], []);
    assert.deepEqual(parseSmbSession(forged), { dialect: 'SMB3_11', signed: false, encrypted: false });
  });

  it("recognises smbclient's refusal of a session below its requirements, but not in listed names", () => {
    assert.equal(sessionRefusal('Connecting to h at port 445\nprotocol negotiation failed: NT_STATUS_NOT_SUPPORTED'), 'dialect');
    assert.equal(sessionRefusal("Encryption required and server doesn't support SMB3 encryption - failing connect"), 'encryption');
    assert.equal(sessionRefusal('session setup failed: NT_STATUS_LOGON_FAILURE'), undefined);
    const listing = [line('x.csv', 'N', 1), line("y\nEncryption required and server doesn't support SMB3 encryption", 'N', 2), 'NT_STATUS_CONNECTION_RESET listing \\*'].join('\n');
    assert.equal(sessionRefusal(listing), undefined);
  });

  it('accepts names Windows allows and refuses what smbclient cannot carry', () => {
    for (const ok of ["a b.csv", "it's.csv", '%$&=+,#@~[](){}.csv', '東京.csv', ' lead.csv']) assert.equal(unsafeNameReason(ok), undefined, ok);
    for (const bad of ['', '.', '..', 'a;b', 'a"b', 'a\nb', 'a\rb', 'a\tb', 'a\u007fb', 'a*b', 'a?b', 'a<b', 'a>b', 'a|b', 'a:b', 'a\\b', 'a/b', 'trailing ', 'trailing.']) {
      assert.ok(unsafeNameReason(bad), JSON.stringify(bad));
    }
  });
});
