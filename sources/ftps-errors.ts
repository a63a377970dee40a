import { FTPError } from 'basic-ftp';
import type { ConnectionSettings } from '../domain/connection';
import { ConnectionError, connectionError, type ConnectionErrorCode } from '../domain/connection-errors';

/** Where in a session an error happened; the same reply means different things at different steps. */
export type FtpsStage = 'connect' | 'tls' | 'login' | 'setup' | 'operation';

/** Error code we give a data connection whose certificate is not the control connection's. */
export const DATA_CERT_MISMATCH = 'ERR_FTPS_DATA_CERTIFICATE';

/** The FTP reply code of a server error reply (e.g. 530, 550), or undefined for socket/TLS errors. */
export function ftpReplyCode(error: unknown): number | undefined {
  return error instanceof FTPError ? error.code : undefined;
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isTlsRecordError(error: unknown): boolean {
  const code = errorCode(error) ?? '';
  return code.startsWith('ERR_SSL_') || /wrong version number|packet length too long|unknown protocol/i.test(errorText(error));
}

/** OpenSSL's short reason ("wrong version number") rather than its multi-line error string. */
function tlsReason(error: unknown): string {
  const reason = (error as { reason?: unknown } | null)?.reason;
  return typeof reason === 'string' ? reason : errorText(error);
}

function isTimeout(error: unknown): boolean {
  return errorCode(error) === 'ETIMEDOUT' || /\bTimeout\b/.test(errorText(error));
}

function isUnexpectedClose(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'ECONNRESET' || code === 'EPIPE' || /closed connection unexpectedly|sent FIN packet/i.test(errorText(error));
}

function modeHint(settings: ConnectionSettings): string {
  return settings.ftpsMode === 'explicit'
    ? 'the server may use implicit FTPS (TLS from the first byte, usually port 990): check ftpsMode'
    : 'the server may use explicit FTPS (AUTH TLS, usually port 21): check ftpsMode';
}

/** Maps anything basic-ftp, net or tls throws to one ConnectionError code. Server reply texts carry no secrets. */
export function toConnectionError(error: unknown, settings: ConnectionSettings, stage: FtpsStage): ConnectionError {
  if (error instanceof ConnectionError) return error;
  const fail = (code: ConnectionErrorCode, detail: string) => connectionError(code, settings, { detail, cause: error });
  const reply = ftpReplyCode(error);
  const text = errorText(error);

  if (reply !== undefined) {
    if (stage === 'login' && reply === 530) return fail('AUTH_FAILED', text);
    if (stage === 'tls') return fail('PROTOCOL_ERROR', `the server refused AUTH TLS: ${text}; ${modeHint(settings)}`);
    if (stage === 'connect' && reply === 421) return fail('CONNECTION_REFUSED', text);
    return fail('PROTOCOL_ERROR', text);
  }

  const code = errorCode(error);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') return fail('HOST_NOT_FOUND', settings.host);
  if (code === 'ECONNREFUSED') return fail('CONNECTION_REFUSED', `port ${settings.port}`);
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return fail('TIMEOUT', `the host is unreachable: ${text}`);
  if (code === DATA_CERT_MISMATCH) return fail('TLS_UNTRUSTED', text);
  if (isTimeout(error)) return fail('TIMEOUT', text);
  if (stage === 'connect' || stage === 'tls') {
    if (isTlsRecordError(error)) return fail('PROTOCOL_ERROR', `TLS handshake failed (${tlsReason(error)}); ${modeHint(settings)}`);
    if (isUnexpectedClose(error)) return fail('PROTOCOL_ERROR', `the server closed the connection during the handshake; ${modeHint(settings)}`);
  }
  return fail('PROTOCOL_ERROR', text);
}
