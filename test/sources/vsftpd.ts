import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FtpsMode } from '../../domain/connection';
import { ensureTestUser, makeUserDir } from '../support/unix-user';
import type { TestFileServer } from './file-server';

export interface SelfSignedCertificate {
  certFile: string;
  keyFile: string;
  /** SHA-256 fingerprint in Node's `fingerprint256` format (colon-separated upper-case hex). */
  fingerprint: string;
}

/** A fresh self-signed RSA certificate (vsftpd's default ciphers want RSA). */
export function createSelfSignedCertificate(dir: string, commonName = 'scheduled-imports-test'): SelfSignedCertificate {
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '2', '-subj', `/CN=${commonName}`, '-keyout', keyFile, '-out', certFile],
    { stdio: 'pipe' },
  );
  chmodSync(keyFile, 0o600);
  return { certFile, keyFile, fingerprint: new X509Certificate(readFileSync(certFile)).fingerprint256 };
}

const handedOut = new Set<number>();

/** A port free right now and not handed out before in this process (servers start in parallel). */
export async function freePort(): Promise<number> {
  for (;;) {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
}

function vsftpdConfig(o: { mode: FtpsMode; port: number; pasvMin: number; rootDir: string; cert: SelfSignedCertificate; emptyDir: string; logFile: string }): string {
  const lines = [
    'listen=YES',
    'listen_ipv6=NO',
    'listen_address=127.0.0.1',
    `listen_port=${o.port}`,
    'background=NO',
    // Debian 12's vsftpd fails the TLS handshake under its seccomp sandbox.
    'seccomp_sandbox=NO',
    `secure_chroot_dir=${o.emptyDir}`,
    'pam_service_name=vsftpd',
    'anonymous_enable=NO',
    'local_enable=YES',
    'write_enable=YES',
    'local_umask=022',
    `local_root=${o.rootDir}`,
    // LIST times in UTC, like MDTM.
    'use_localtime=NO',
    'connect_from_port_20=NO',
    'pasv_enable=YES',
    `pasv_min_port=${o.pasvMin}`,
    `pasv_max_port=${o.pasvMin + 49}`,
    'pasv_address=127.0.0.1',
    'ssl_enable=YES',
    `rsa_cert_file=${o.cert.certFile}`,
    `rsa_private_key_file=${o.cert.keyFile}`,
    'force_local_logins_ssl=YES',
    'force_local_data_ssl=YES',
    'require_ssl_reuse=YES',
    'ssl_request_cert=NO',
    `implicit_ssl=${o.mode === 'implicit' ? 'YES' : 'NO'}`,
    'xferlog_enable=YES',
    'xferlog_std_format=NO',
    'log_ftp_protocol=YES',
    `vsftpd_log_file=${o.logFile}`,
  ];
  return lines.join('\n') + '\n';
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

async function waitUntilListening(port: number, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`vsftpd exited (${child.exitCode ?? child.signalCode}): ${stderr()}`);
    }
    if (await portAnswers(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`vsftpd did not listen on 127.0.0.1:${port} within 10 s: ${stderr()}`);
}

interface RunningVsftpd {
  port: number;
  stop(): Promise<void>;
}

/** Starts vsftpd in its own process group (so stop() also ends the per-session children it forks). */
async function launchVsftpd(configFile: string, port: number): Promise<RunningVsftpd> {
  const child = spawn('vsftpd', [configFile], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      await exited;
    }
  };
  try {
    await waitUntilListening(port, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, stop };
}

/**
 * A real vsftpd on loopback with its own config, a fresh self-signed certificate and
 * TLS required for login and data, logging in as the `sitest` account.
 */
export async function startVsftpd({ mode }: { mode: FtpsMode }): Promise<TestFileServer> {
  const user = ensureTestUser();
  const workDir = mkdtempSync(join(tmpdir(), `si-vsftpd-${mode}-`));
  chmodSync(workDir, 0o755);
  const emptyDir = join(workDir, 'empty');
  mkdirSync(emptyDir, { mode: 0o755 });
  const rootDir = makeUserDir(user, `ftps-${mode}`);
  const cert = createSelfSignedCertificate(workDir);
  const pasvMin = 20_000 + Math.floor(Math.random() * 800) * 50;
  const configFile = join(workDir, 'vsftpd.conf');
  const cleanUp = () => {
    rmSync(workDir, { recursive: true, force: true });
    rmSync(rootDir, { recursive: true, force: true });
  };

  let running: RunningVsftpd | undefined;
  // A port found free can be taken by another process before vsftpd binds it: try a few.
  for (let attempt = 1; !running; attempt++) {
    const port = await freePort();
    writeFileSync(configFile, vsftpdConfig({ mode, port, pasvMin, rootDir, cert, emptyDir, logFile: join(workDir, 'vsftpd.log') }));
    try {
      running = await launchVsftpd(configFile, port);
    } catch (error) {
      if (attempt === 3) {
        cleanUp();
        throw error;
      }
    }
  }
  const { port, stop: stopProcess } = running;
  return {
    label: `vsftpd ${mode}`,
    host: '127.0.0.1',
    port,
    rootDir,
    fingerprint: cert.fingerprint,
    connection: (subdir: string) => ({
      protocol: 'ftps',
      host: '127.0.0.1',
      port,
      username: user.name,
      password: user.password,
      directoryPath: subdir,
      ftpsMode: mode,
      trust: { sha256: cert.fingerprint },
    }),
    stop: async () => {
      await stopProcess();
      cleanUp();
    },
  };
}
