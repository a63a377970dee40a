import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ensureTestUser, makeUserDir, type UnixUser } from '../support/unix-user';
import type { TestFileServer } from './file-server';

export interface SmbTestServer extends TestFileServer {
  /** This instance's smb.conf, for checks with smbstatus or smbclient. */
  readonly configPath: string;
  /** A second share on rootDir with `mangled names = no`: names Windows cannot hold (`"`, line breaks) show as they are. */
  readonly rawShare: string;
  /** A third share on rootDir, open to guests (read only): where an unknown user name would get in as guest. */
  readonly guestShare: string;
}

/**
 * `debian`: Debian's defaults (SMB2_02 to SMB3_11, signing and encryption offered, not required).
 * `hardened`: mandatory signing, SMB3 only, encryption required.
 * `legacy`: an old server, at most SMB2.1 and no encryption (signing still offered, as SMB2 always has it).
 * `unencrypted`: SMB3, but encryption switched off, so the client's encryption requirement is tested on its own.
 */
export type SmbdProfile = 'debian' | 'hardened' | 'legacy' | 'unencrypted';

const PROFILE_SETTINGS: Record<SmbdProfile, { label: string; settings: string[] }> = {
  debian: { label: 'smbd (Debian defaults)', settings: [] },
  hardened: {
    label: 'smbd (hardened: signing, SMB3 only, encryption)',
    settings: ['server signing = mandatory', 'server min protocol = SMB3', 'server smb encrypt = required'],
  },
  legacy: { label: 'smbd (legacy: SMB2.1 at most, no encryption)', settings: ['server max protocol = SMB2_10', 'server smb encrypt = off'] },
  unencrypted: { label: 'smbd (SMB3, encryption off)', settings: ['server smb encrypt = off'] },
};

const SHARE = 'data';
const RAW_SHARE = 'raw';
const GUEST_SHARE = 'guest';
const START_ATTEMPTS = 3;
const START_TIMEOUT_MS = 10_000;

/**
 * A real Samba smbd on 127.0.0.1 with its own configuration, state and passdb, holding the
 * test user `sitest`, configured as `profile` says. Debian's own settings are repeated here
 * since `-s` keeps Debian's smb.conf out.
 */
export async function startSmbd(profile: SmbdProfile): Promise<SmbTestServer> {
  const user = ensureTestUser();
  const rootDir = makeUserDir(user, 'smbd-share');
  const stateDir = mkdtempSync(join(tmpdir(), 'si-smbd-state-'));
  const configPath = join(stateDir, 'smb.conf');
  try {
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      writeFileSync(configPath, smbConf({ port, stateDir, rootDir, profile }));
      addSambaUser(configPath, user);
      const smbd = startDaemon(configPath, stateDir, rootDir);
      if (await listening(port, smbd)) {
        return serverHandle({ profile, port, rootDir, stateDir, configPath, user, smbd });
      }
      await stopGroup(smbd);
      // smbd exits at once when another process took the port meanwhile; try another one.
      if (attempt === START_ATTEMPTS) throw new Error(`smbd did not start on port ${port}:\n${logTail(stateDir)}`);
    }
  } catch (error) {
    rmSync(stateDir, { recursive: true, force: true });
    rmSync(rootDir, { recursive: true, force: true });
    throw error;
  }
}

function smbConf(o: { port: number; stateDir: string; rootDir: string; profile: SmbdProfile }): string {
  const dir = (name: string) => {
    const path = join(o.stateDir, name);
    mkdirSync(path, { recursive: true });
    return path;
  };
  return [
    '[global]',
    'server role = standalone server',
    'map to guest = bad user',
    `smb ports = ${o.port}`,
    'interfaces = 127.0.0.1',
    'bind interfaces only = yes',
    'disable netbios = yes',
    `private dir = ${dir('private')}`,
    `lock directory = ${dir('lock')}`,
    `state directory = ${dir('state')}`,
    `cache directory = ${dir('cache')}`,
    `pid directory = ${dir('pid')}`,
    `ncalrpc dir = ${dir('ncalrpc')}`,
    `passdb backend = tdbsam:${join(o.stateDir, 'private', 'passdb.tdb')}`,
    `log file = ${join(o.stateDir, 'log.smbd')}`,
    'log level = 1',
    'load printers = no',
    'printing = bsd',
    'printcap name = /dev/null',
    'disable spoolss = yes',
    ...PROFILE_SETTINGS[o.profile].settings,
    '',
    `[${SHARE}]`,
    `path = ${o.rootDir}`,
    'read only = no',
    '',
    `[${RAW_SHARE}]`,
    `path = ${o.rootDir}`,
    'read only = no',
    'mangled names = no',
    '',
    `[${GUEST_SHARE}]`,
    `path = ${o.rootDir}`,
    'guest ok = yes',
    '',
  ].join('\n');
}

function addSambaUser(configPath: string, user: UnixUser) {
  execFileSync('smbpasswd', ['-c', configPath, '-a', '-s', user.name], { input: `${user.password}\n${user.password}\n`, stdio: ['pipe', 'ignore', 'pipe'] });
}

/** Running instances (process group → their directories), cleaned up if the test process exits without stop(). */
const liveInstances = new Map<number, string[]>();
let exitHookInstalled = false;

function cleanUpOnExit() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const [pid, dirs] of liveInstances) {
      signalGroup(pid, 'SIGKILL');
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    }
  });
}

function signalGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is already gone
  }
}

/** Detached: smbd signals its whole process group on shutdown, which must not be the test runner's. */
function startDaemon(configPath: string, stateDir: string, rootDir: string): ChildProcess {
  cleanUpOnExit();
  const out = openSync(join(stateDir, 'smbd.out'), 'a');
  try {
    const smbd = spawn('smbd', ['-F', '--no-process-group', '-s', configPath], { detached: true, stdio: ['ignore', out, out] });
    smbd.unref();
    if (smbd.pid !== undefined) liveInstances.set(smbd.pid, [stateDir, rootDir]);
    return smbd;
  } finally {
    closeSync(out);
  }
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** True once the port accepts; false when smbd exits first or does not listen in time. */
async function listening(port: number, smbd: ChildProcess): Promise<boolean> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline && smbd.exitCode === null && smbd.signalCode === null) {
    const accepted = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (accepted) return true;
    await sleep(50);
  }
  return false;
}

/** Ends smbd and its per-connection children: TERM to the group, then KILL whatever lingers. */
async function stopGroup(smbd: ChildProcess) {
  const pid = smbd.pid;
  // Stopped already: never signal a group id the system may have handed out again.
  if (pid === undefined || !liveInstances.has(pid)) return;
  const running = smbd.exitCode === null && smbd.signalCode === null;
  const exited = running ? new Promise<void>((resolve) => smbd.once('exit', () => resolve())) : Promise.resolve();
  signalGroup(pid, 'SIGTERM');
  await settledWithin(exited, 5000);
  signalGroup(pid, 'SIGKILL');
  await exited;
  liveInstances.delete(pid);
}

async function settledWithin(promise: Promise<void>, ms: number) {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

function logTail(stateDir: string): string {
  const read = (file: string) => {
    try {
      return readFileSync(join(stateDir, file), 'utf8');
    } catch {
      return '';
    }
  };
  return (read('smbd.out') + read('log.smbd')).split('\n').slice(-20).join('\n');
}

function serverHandle(o: {
  profile: SmbdProfile;
  port: number;
  rootDir: string;
  stateDir: string;
  configPath: string;
  user: UnixUser;
  smbd: ChildProcess;
}): SmbTestServer {
  return {
    label: PROFILE_SETTINGS[o.profile].label,
    host: '127.0.0.1',
    port: o.port,
    rootDir: o.rootDir,
    fingerprint: undefined,
    configPath: o.configPath,
    rawShare: RAW_SHARE,
    guestShare: GUEST_SHARE,
    connection: (subdir) => ({
      protocol: 'smb',
      host: '127.0.0.1',
      port: o.port,
      username: o.user.name,
      password: o.user.password,
      directoryPath: subdir ? `${SHARE}/${subdir}` : SHARE,
    }),
    stop: async () => {
      await stopGroup(o.smbd);
      rmSync(o.stateDir, { recursive: true, force: true });
      rmSync(o.rootDir, { recursive: true, force: true });
    },
  };
}
