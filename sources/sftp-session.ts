import SftpClient from 'ssh2-sftp-client';
import type { Client, ConnectConfig, ServerHostKeyAlgorithm, SFTPWrapper } from 'ssh2';
import type { ConnectionConfig } from '../domain/connection';
import { connectionError, ConnectionError } from '../domain/connection-errors';
import { authHandlerFor, privateKeyProblem } from './sftp-auth';
import { sessionFailure } from './sftp-errors';
import { describeHostKey, hostKeyAlgorithmsFor, sameFingerprint, type SeenHostKey } from './sftp-host-key';

const KEEPALIVE_INTERVAL_MS = 15_000;
const KEEPALIVE_COUNT_MAX = 4;
const END_GRACE_MS = 5_000;

/** An authenticated SSH connection with its SFTP channel open. */
export interface SftpSession {
  readonly sftp: SFTPWrapper;
  readonly hostKey: SeenHostKey;
  /** Ends the connection politely, or tears it down after a grace period. Never throws. */
  close(): Promise<void>;
}

/** How to reach the server: `address` (already resolved and checked) instead of resolving `host` again. */
export interface SftpTarget {
  timeoutMs: number;
  address?: string;
}

/**
 * Connects, verifies the host key against the pin before any credential is sent, authenticates and opens SFTP.
 * `onStarted` receives a way to tear down each connection attempt (a host key probe too), so a caller's deadline covers every step.
 */
export async function openSftpSession(config: ConnectionConfig, target: SftpTarget, onStarted?: (destroy: () => void) => void): Promise<SftpSession> {
  const keyProblem = privateKeyProblem(config);
  if (keyProblem) {
    throw connectionError('AUTH_FAILED', config, { detail: 'the private key could not be read; check the key and its passphrase', cause: keyProblem });
  }
  // Without these callbacks the library prints its own messages on error, end and close.
  const client = new SftpClient('scheduled-imports', { error: ignore, end: ignore, close: ignore });
  const verifier = pinVerifier(config);
  onStarted?.(() => destroyConnection(client));

  let sftp: SFTPWrapper;
  try {
    sftp = await client.connect(connectConfig(config, target, verifier.verify));
  } catch (error) {
    destroyConnection(client);
    throw await classifyConnectFailure(error, config, verifier, (probeConfig) => openSftpSession(probeConfig, target, onStarted));
  }
  const hostKey = verifier.seen();
  if (!hostKey) {
    destroyConnection(client);
    throw connectionError('PROTOCOL_ERROR', config, { detail: 'the server presented no host key' });
  }
  return { sftp, hostKey, close: () => endConnection(client) };
}

interface PinVerifier {
  verify(rawKey: Buffer): boolean;
  seen(): SeenHostKey | undefined;
  refused(): boolean;
}

/** Accepts only the pinned key; with no pin it refuses, which stops the handshake before authentication. */
function pinVerifier(config: ConnectionConfig): PinVerifier {
  let seen: SeenHostKey | undefined;
  let refused = false;
  return {
    verify(rawKey) {
      seen = describeHostKey(rawKey);
      const accepted = config.trust !== undefined && sameFingerprint(config.trust.sha256, seen.fingerprint);
      refused ||= !accepted;
      return accepted;
    },
    seen: () => seen,
    refused: () => refused,
  };
}

function connectConfig(config: ConnectionConfig, target: SftpTarget, hostVerifier: (key: Buffer) => boolean): ConnectConfig {
  const pinnedKeyType = config.trust?.keyType;
  return {
    host: target.address ?? config.host,
    port: config.port,
    username: config.username,
    authHandler: authHandlerFor(config),
    readyTimeout: target.timeoutMs,
    keepaliveInterval: KEEPALIVE_INTERVAL_MS,
    keepaliveCountMax: KEEPALIVE_COUNT_MAX,
    hostVerifier,
    // Offer only the pinned key's algorithms, or a server with several host keys may present another one.
    ...(pinnedKeyType ? { algorithms: { serverHostKey: hostKeyAlgorithmsFor(pinnedKeyType) as ServerHostKeyAlgorithm[] } } : {}),
  };
}

type OpenSession = (config: ConnectionConfig) => Promise<SftpSession>;

async function classifyConnectFailure(error: unknown, config: ConnectionConfig, verifier: PinVerifier, open: OpenSession): Promise<ConnectionError> {
  const seen = verifier.seen();
  if (verifier.refused() && seen) {
    const code = config.trust ? 'HOST_KEY_MISMATCH' : 'HOST_KEY_UNKNOWN';
    return connectionError(code, config, { fingerprint: seen.fingerprint, keyType: seen.keyType, cause: error });
  }
  const pinnedKeyType = config.trust?.keyType;
  if (pinnedKeyType && String(error).includes('no matching host key format')) {
    // The server no longer offers the pinned key type: show the admin the key it does offer.
    const offered = await probeHostKey(config, open);
    return connectionError('HOST_KEY_MISMATCH', config, {
      detail: `the server offers no ${pinnedKeyType} host key`,
      fingerprint: offered?.fingerprint,
      keyType: offered?.keyType,
      cause: error,
    });
  }
  return sessionFailure(error, config);
}

/** The host key the server presents to an unrestricted client; the probe stops before authentication. */
async function probeHostKey(config: ConnectionConfig, open: OpenSession): Promise<SeenHostKey | undefined> {
  try {
    const anonymous = { ...config, trust: undefined, password: undefined, privateKey: undefined, passphrase: undefined };
    const session = await open(anonymous);
    await session.close();
  } catch (error) {
    if (error instanceof ConnectionError && error.fingerprint) return { fingerprint: error.fingerprint, keyType: error.keyType };
  }
  return undefined;
}

function ignore(): void {}

/** ssh2-sftp-client keeps the ssh2 Client in an untyped field; destroying it is the only way to abort a stuck connection. */
function destroyConnection(client: SftpClient): void {
  try {
    (client as unknown as { client: Client }).client.destroy();
  } catch {
    // already gone
  }
}

async function endConnection(client: SftpClient): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, END_GRACE_MS);
  });
  try {
    await Promise.race([client.end().then(ignore, ignore), grace]);
  } finally {
    clearTimeout(timer);
    destroyConnection(client);
  }
}
