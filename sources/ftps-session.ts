import { setTimeout as sleep } from 'node:timers/promises';
import { TLSSocket, type ConnectionOptions } from 'node:tls';
import { Client, type FTPContext, type FTPResponse, type TransferStrategy } from 'basic-ftp';
import { directorySegments, type ConnectionConfig, type ConnectionSettings } from '../domain/connection';
import { connectionError } from '../domain/connection-errors';
import { ftpReplyCode, toConnectionError, type FtpsStage } from './ftps-errors';
import { speaksImplicitTls } from './ftps-mode-probe';
import { checkServerCertificate, controlTlsOptions, guardDataConnection } from './ftps-trust';

export interface FtpsSession {
  client: Client;
  /** The trusted certificate's fingerprint (Node's `fingerprint256`). */
  fingerprint: string;
  /** FEAT keywords, e.g. MLST, MDTM, SIZE. */
  features: ReadonlySet<string>;
}

/** How to reach the server: `address` (already resolved and checked) instead of resolving `host` again. */
export interface FtpsTarget {
  timeoutMs: number;
  address?: string;
}

/** Raised by the explicit-mode greeting wait when the port turned out to speak implicit TLS. */
class ImplicitServerDetected extends Error {}

/**
 * Opens a logged-in session in the import's directory: TCP, TLS (implicit or AUTH TLS),
 * certificate decision, and only then USER/PASS. `timeoutMs` bounds the whole of it.
 * The host name (not the address) is what the certificate is checked against.
 */
export async function openFtpsSession(config: ConnectionConfig, { timeoutMs, address = config.host }: FtpsTarget): Promise<FtpsSession> {
  const settings: ConnectionSettings = config;
  const tlsOptions = controlTlsOptions(config.host, address);
  // basic-ftp tries EPSV (port only) first; a PASV reply naming another host (e.g. a metadata address)
  // is not followed either: data goes to the control address.
  const client = new Client(timeoutMs, { allowSeparateTransferHost: false });
  let stage: FtpsStage = 'connect';
  let timedOut = false;
  const deadline = setTimeout(() => {
    timedOut = true;
    client.close();
  }, timeoutMs);
  try {
    if (config.ftpsMode === 'explicit') {
      await greetingOrImplicitTls(client.connect(address, config.port), { ...tlsOptions, port: config.port }, timeoutMs);
      stage = 'tls';
      await client.useTLS(tlsOptions);
    } else {
      await client.connectImplicitTLS(address, config.port, tlsOptions);
    }
    const fingerprint = checkServerCertificate(tlsControlSocket(client, settings), settings);
    guardDataConnections(client, fingerprint);
    stage = 'login';
    await client.login(config.username, config.password ?? '');
    stage = 'setup';
    await client.useDefaultSettings();
    const features = new Set((await client.features()).keys());
    await enterDirectory(client, settings);
    return { client, fingerprint, features };
  } catch (error) {
    client.close();
    if (timedOut) throw connectionError('TIMEOUT', settings, { detail: `no complete answer within ${timeoutMs} ms`, cause: error });
    if (error instanceof ImplicitServerDetected) {
      throw connectionError('PROTOCOL_ERROR', settings, {
        detail: 'the server sent no FTP greeting but accepts TLS at once, so it speaks implicit FTPS while ftpsMode is explicit: check ftpsMode',
      });
    }
    throw toConnectionError(error, settings, stage);
  } finally {
    clearTimeout(deadline);
  }
}

/**
 * Waits for the plain-text greeting. If none came after a short grace period, a second
 * connection checks whether the port speaks implicit TLS, so a mode mix-up gets a clear
 * error instead of a plain timeout.
 */
async function greetingOrImplicitTls(greeting: Promise<FTPResponse>, server: ConnectionOptions, timeoutMs: number): Promise<void> {
  const graceMs = Math.min(2000, Math.floor(timeoutMs / 4));
  const abort = new AbortController();
  const probe = sleep(graceMs, undefined, { signal: abort.signal })
    .then(() => speaksImplicitTls(server, timeoutMs - graceMs, abort.signal))
    .then((implicit) => (implicit ? Promise.reject(new ImplicitServerDetected()) : new Promise<never>(() => {})));
  try {
    await Promise.race([greeting, probe]);
  } finally {
    abort.abort();
    probe.catch(() => {});
  }
}

function tlsControlSocket(client: Client, settings: ConnectionSettings): TLSSocket {
  const socket = client.ftp.socket;
  if (!(socket instanceof TLSSocket)) throw connectionError('PROTOCOL_ERROR', settings, { detail: 'the control connection is not encrypted' });
  return socket;
}

/** Wraps whichever passive-mode strategy basic-ftp settles on, so every data connection is checked. */
function guardDataConnections(client: Client, fingerprint: string): void {
  let strategy: TransferStrategy = client.prepareTransfer;
  Object.defineProperty(client, 'prepareTransfer', {
    configurable: true,
    get: (): TransferStrategy => async (ftp: FTPContext) => {
      const response = await strategy(ftp);
      if (ftp.dataSocket instanceof TLSSocket) guardDataConnection(ftp.dataSocket, fingerprint);
      return response;
    },
    set: (next: TransferStrategy) => {
      strategy = next;
    },
  });
}

/**
 * Changes into the import's directory one segment at a time. vsftpd answers 550 both for
 * a missing and for an unreadable directory, so the parent's listing tells them apart.
 */
async function enterDirectory(client: Client, settings: ConnectionSettings): Promise<void> {
  const done: string[] = [];
  for (const segment of directorySegments(settings.directoryPath)) {
    try {
      await client.cd(segment);
    } catch (error) {
      if (ftpReplyCode(error) !== 550) throw error;
      throw await explainMissingDirectory(client, settings, segment, done, error);
    }
    done.push(segment);
  }
}

async function explainMissingDirectory(client: Client, settings: ConnectionSettings, segment: string, parents: string[], cause: unknown) {
  const where = parents.length === 0 ? 'the login directory' : JSON.stringify(parents.join('/'));
  const entry = await client.list().then(
    (entries) => entries.find((e) => e.name === segment),
    () => undefined,
  );
  if (entry?.isDirectory || entry?.isSymbolicLink) {
    return connectionError('PERMISSION_DENIED', settings, { detail: `cannot enter ${JSON.stringify(segment)} in ${where}`, cause });
  }
  const what = entry ? 'is a file, not a directory' : 'does not exist';
  return connectionError('DIRECTORY_NOT_FOUND', settings, { detail: `${JSON.stringify(segment)} ${what} in ${where}`, cause });
}
