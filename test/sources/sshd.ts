import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectionConfig } from '../../domain/connection';
import { ensureTestUser, makeUserDir } from '../support/unix-user';
import type { TestFileServer } from './file-server';

const SSHD = '/usr/sbin/sshd';
const HOST = '127.0.0.1';

export interface SshdOptions {
  /** Authorize two client ed25519 keys (one plain, one passphrase-protected) for the test user. */
  keyLogin?: boolean;
  /** Give the server an RSA host key next to its ed25519 one. */
  rsaHostKey?: boolean;
  /** How the server takes passwords: the `password` method, or only PAM's `keyboard-interactive` (as many district servers do). */
  passwordMethod?: 'password' | 'keyboard-interactive';
}

export interface HostKey {
  /** The key's type as it appears in the key blob, e.g. `ssh-ed25519`, `ssh-rsa`. */
  keyType: string;
  /** As `ssh-keygen -lf` prints it: `SHA256:<base64>`. */
  fingerprint: string;
}

export interface ClientKey {
  privateKey: string;
  passphrase?: string;
}

export interface TestSshd extends TestFileServer {
  /** Every host key the server offers; the ed25519 one comes first. */
  readonly hostKeys: HostKey[];
  /** Present with `keyLogin`: keys the server accepts for the test user. */
  readonly clientKeys?: { plain: ClientKey; withPassphrase: ClientKey };
  /** sshd's own log so far (it runs with -e), for failing tests to show. */
  log(): string;
  /** Kills sshd and every session it serves (SIGKILL, as a crash would), waits `downMs`, and starts it again on the same port and keys. */
  restart(downMs?: number): Promise<void>;
}

/** A real OpenSSH server on loopback whose SFTP logins start in a fresh directory owned by the test user. */
export async function startSshd(options: SshdOptions = {}): Promise<TestSshd> {
  const user = ensureTestUser();
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  // sshd reads AuthorizedKeysFile as the user, so this directory must be traversable by it; private keys stay 0600.
  const confDir = mkdtempSync(join(tmpdir(), 'si-sshd-conf-'));
  chmodSync(confDir, 0o755);
  const rootDir = makeUserDir(user, 'sftp');

  try {
    const hostKeys = [generateHostKey(confDir, 'ed25519', 'ssh-ed25519')];
    if (options.rsaHostKey) hostKeys.push(generateHostKey(confDir, 'rsa', 'ssh-rsa'));
    const clientKeys = options.keyLogin ? authorizeClientKeys(confDir) : undefined;

    const hostKeyPaths = hostKeys.map((key) => key.path);
    const passwordMethod = options.passwordMethod ?? 'password';
    let { child, port, log } = await launch(confDir, (port) => sshdConfig({ port, hostKeyPaths, passwordMethod, confDir, rootDir, userName: user.name }));
    const ed25519 = hostKeys[0]!;

    return {
      label: 'OpenSSH sshd',
      host: HOST,
      port,
      rootDir,
      fingerprint: ed25519.fingerprint,
      hostKeys: hostKeys.map(({ keyType, fingerprint }) => ({ keyType, fingerprint })),
      clientKeys,
      log: () => log(),
      async restart(downMs = 0) {
        // each session is a tree of processes below the listening sshd (monitor, then the user's process that serves SFTP)
        for (const pid of descendantsOf(child.pid!)) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // already gone
          }
        }
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGKILL');
        await exited;
        await new Promise((resolve) => setTimeout(resolve, downMs));
        ({ child, log } = await relaunch(join(confDir, 'sshd_config'), port));
      },
      connection(subdir: string): ConnectionConfig {
        return {
          protocol: 'sftp',
          host: HOST,
          port,
          username: user.name,
          password: user.password,
          directoryPath: subdir,
          trust: { sha256: ed25519.fingerprint, keyType: ed25519.keyType },
        };
      },
      async stop() {
        await stopProcess(child);
        rmSync(confDir, { recursive: true, force: true });
        rmSync(rootDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(confDir, { recursive: true, force: true });
    rmSync(rootDir, { recursive: true, force: true });
    throw error;
  }
}

interface GeneratedHostKey extends HostKey {
  path: string;
}

function generateHostKey(dir: string, type: 'ed25519' | 'rsa', keyType: string): GeneratedHostKey {
  const path = join(dir, `ssh_host_${type}_key`);
  const bits = type === 'rsa' ? ['-b', '3072'] : [];
  execFileSync('ssh-keygen', ['-q', '-t', type, ...bits, '-N', '', '-C', 'scheduled-imports-test', '-f', path], { stdio: 'pipe' });
  return { path, keyType, fingerprint: fingerprintOf(path) };
}

/** `ssh-keygen -lf` prints e.g. `256 SHA256:abc… comment (ED25519)`. */
function fingerprintOf(keyPath: string): string {
  const line = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', keyPath]).toString();
  const fingerprint = line.split(/\s+/)[1];
  if (!fingerprint?.startsWith('SHA256:')) throw new Error(`unexpected ssh-keygen -lf output: ${line}`);
  return fingerprint;
}

function authorizeClientKeys(dir: string): { plain: ClientKey; withPassphrase: ClientKey } {
  const make = (name: string, passphrase: string): ClientKey => {
    const path = join(dir, name);
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-C', name, '-f', path], { stdio: 'pipe' });
    return { privateKey: readFileSync(path, 'utf8'), ...(passphrase ? { passphrase } : {}) };
  };
  const plain = make('client_plain', '');
  const withPassphrase = make('client_protected', 'Staple-Battery-42');
  const publicKeys = ['client_plain', 'client_protected'].map((name) => readFileSync(join(dir, `${name}.pub`), 'utf8').trim());
  const authorizedKeys = join(dir, 'authorized_keys');
  writeFileSync(authorizedKeys, publicKeys.join('\n') + '\n');
  chmodSync(authorizedKeys, 0o644);
  return { plain, withPassphrase };
}

interface SshdConfigInput {
  port: number;
  hostKeyPaths: string[];
  passwordMethod: 'password' | 'keyboard-interactive';
  confDir: string;
  rootDir: string;
  userName: string;
}

function sshdConfig({ port, hostKeyPaths, passwordMethod, confDir, rootDir, userName }: SshdConfigInput): string {
  const viaPam = passwordMethod === 'keyboard-interactive';
  // In sshd_config the first value of a keyword wins, so this file must be complete on its own.
  return [
    `ListenAddress ${HOST}:${port}`,
    ...hostKeyPaths.map((path) => `HostKey ${path}`),
    `PidFile none`,
    `LogLevel VERBOSE`,
    `UsePAM ${viaPam ? 'yes' : 'no'}`,
    `AllowUsers ${userName}`,
    `PermitRootLogin no`,
    `PasswordAuthentication ${viaPam ? 'no' : 'yes'}`,
    `KbdInteractiveAuthentication ${viaPam ? 'yes' : 'no'}`,
    `PubkeyAuthentication yes`,
    `AuthorizedKeysFile ${join(confDir, 'authorized_keys')}`,
    // The authorized_keys file lives in a root-owned temp dir, which StrictModes would reject.
    `StrictModes no`,
    `X11Forwarding no`,
    `AllowTcpForwarding no`,
    `Subsystem sftp internal-sftp`,
    `ForceCommand internal-sftp -d ${rootDir}`,
    '',
  ].join('\n');
}

interface Launched {
  child: ChildProcess;
  port: number;
  log: () => string;
}

/** Starts sshd on a free port; retries when another process took the port between probing and binding. */
async function launch(confDir: string, configFor: (port: number) => string): Promise<Launched> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const configPath = join(confDir, 'sshd_config');
    writeFileSync(configPath, configFor(port));
    const child = spawn(SSHD, ['-D', '-e', '-f', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
    let output = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-64 * 1024);
    });
    const log = () => output;
    try {
      await waitForPort(port, child, log);
      return { child, port, log };
    } catch (error) {
      lastError = error;
      await stopProcess(child);
    }
  }
  throw new Error('sshd did not start', { cause: lastError });
}

/** Every process below `pid`, by their ids (children before grandchildren). */
function descendantsOf(pid: number): number[] {
  const found: number[] = [];
  for (let at = [pid]; at.length > 0; ) {
    const children = at.flatMap((parent) => {
      try {
        return execFileSync('ps', ['-o', 'pid=', '--ppid', String(parent)]).toString().split('\n').map(Number).filter((n) => n > 0);
      } catch {
        return []; // ps exits 1 when there are none
      }
    });
    found.push(...children);
    at = children;
  }
  return found;
}

/** Starts sshd again with the config it had; its port is in that config. */
async function relaunch(configPath: string, port: number): Promise<Omit<Launched, 'port'>> {
  const child = spawn(SSHD, ['-D', '-e', '-f', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-64 * 1024);
  });
  const log = () => output;
  await waitForPort(port, child, log);
  return { child, log };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, HOST, () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, log: () => string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`sshd exited (${child.exitCode ?? child.signalCode}): ${log()}`);
    }
    if (await accepts(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`sshd did not listen on ${HOST}:${port} within ${timeoutMs} ms: ${log()}`);
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: HOST, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const killTimer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(killTimer);
}
