import { describeConnection, type ConnectionSettings } from './connection';

/** The codes of API.md (plus HOST_NOT_ALLOWED, the outbound address policy), and file-level codes the adapters raise. */
export const CONNECTION_ERROR_CODES = [
  'HOST_NOT_FOUND',
  'HOST_NOT_ALLOWED',
  'CONNECTION_REFUSED',
  'TIMEOUT',
  'AUTH_FAILED',
  'TLS_UNTRUSTED',
  'HOST_KEY_UNKNOWN',
  'HOST_KEY_MISMATCH',
  'DIRECTORY_NOT_FOUND',
  'PERMISSION_DENIED',
  'PROTOCOL_ERROR',
  'SMB_ENCRYPTION_UNAVAILABLE',
] as const;
export type ConnectionErrorCode = (typeof CONNECTION_ERROR_CODES)[number];

export type FileErrorCode = 'FILE_NOT_FOUND' | 'FILE_EXISTS' | 'UNSAFE_FILE_NAME';

/** Failures that retrying cannot fix; retrying a bad password can lock district accounts. */
const NON_RETRYABLE: ReadonlySet<string> = new Set([
  'AUTH_FAILED',
  'TLS_UNTRUSTED',
  'HOST_KEY_UNKNOWN',
  'HOST_KEY_MISMATCH',
  'DIRECTORY_NOT_FOUND',
  'PERMISSION_DENIED',
  'HOST_NOT_FOUND',
  'SMB_ENCRYPTION_UNAVAILABLE',
  'HOST_NOT_ALLOWED',
  'FILE_EXISTS',
  'UNSAFE_FILE_NAME',
]);

export class ConnectionError extends Error {
  override readonly name = 'ConnectionError';
  readonly retryable: boolean;
  constructor(
    readonly code: ConnectionErrorCode | FileErrorCode,
    message: string,
    /** The server's fingerprint, on trust errors, so an admin can confirm it. */
    readonly fingerprint?: string,
    /** SSH host key algorithm of `fingerprint`. */
    readonly keyType?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.retryable = !NON_RETRYABLE.has(code);
  }
}

const SENTENCES: Record<ConnectionErrorCode, string> = {
  HOST_NOT_FOUND: 'the host name could not be resolved',
  HOST_NOT_ALLOWED: 'connecting to this host is not allowed',
  CONNECTION_REFUSED: 'the server refused the connection (is the port right and the service running?)',
  TIMEOUT: 'the server did not answer in time',
  AUTH_FAILED: 'the server rejected the user name or password/key',
  TLS_UNTRUSTED: "the server's TLS certificate is not trusted; confirm its fingerprint and pin it on the import",
  HOST_KEY_UNKNOWN: "the server's host key is not pinned yet; confirm its fingerprint and pin it on the import",
  HOST_KEY_MISMATCH: "the server's host key does not match the pinned fingerprint; an admin must confirm and pin the new key",
  DIRECTORY_NOT_FOUND: 'the directory does not exist',
  PERMISSION_DENIED: 'the user may not read or write the directory or file',
  PROTOCOL_ERROR: 'the server answered in a way the client did not understand',
  SMB_ENCRYPTION_UNAVAILABLE:
    'the server does not offer SMB3 with encryption, which this connection requires; ' +
    'setting the connection\'s smbSecurity to "legacy" accepts SMB2 and unencrypted sessions, which is unsafe: ' +
    'the files cross the network readable by anyone on the path, and a man in the middle can force even a capable server down to such a session',
};

/** One sentence naming protocol, host, port and directory. */
export function connectionError(
  code: ConnectionErrorCode,
  settings: ConnectionSettings,
  extra?: { detail?: string; fingerprint?: string; keyType?: string; cause?: unknown },
): ConnectionError {
  const detail = extra?.detail ? ` (${extra.detail})` : '';
  const fp = extra?.fingerprint ? ` Server fingerprint: ${extra.keyType ? extra.keyType + ' ' : ''}${extra.fingerprint}.` : '';
  const message = `${describeConnection(settings)}: ${SENTENCES[code]}${detail}.${fp}`;
  return new ConnectionError(code, message, extra?.fingerprint, extra?.keyType, { cause: extra?.cause });
}

export function fileError(code: FileErrorCode, settings: ConnectionSettings, fileName: string, detail: string, cause?: unknown) {
  return new ConnectionError(code, `${describeConnection(settings)}: file ${JSON.stringify(fileName)}: ${detail}.`, undefined, undefined, { cause });
}
