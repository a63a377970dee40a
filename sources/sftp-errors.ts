import type { ConnectionSettings } from '../domain/connection';
import { connectionError, fileError, type ConnectionError, type ConnectionErrorCode } from '../domain/connection-errors';

/** SFTP status codes (draft-ietf-secsh-filexfer-02 §7) that change what we report. */
export const SFTP_STATUS = { EOF: 1, NO_SUCH_FILE: 2, PERMISSION_DENIED: 3, FAILURE: 4 } as const;

/** The SFTP status of a failed request; ssh2 (and ssh2-sftp-client) put it in `code`. */
export function sftpStatus(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** The error's message without the `getConnection: ` / `sftp: ` prefix ssh2-sftp-client adds. */
function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^(getConnection|sftp): /, '');
}

function systemCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Maps a failure to open the session (socket, handshake, authentication) to one code.
 * ssh2 reports most of these by message only, and ssh2-sftp-client prefixes the message, so match on substrings.
 * Host key refusals are decided by the caller, which knows what the verifier saw.
 */
export function sessionFailure(error: unknown, settings: ConnectionSettings): ConnectionError {
  const message = messageOf(error);
  const fail = (code: ConnectionErrorCode, detail?: string) => connectionError(code, settings, { detail, cause: error });

  switch (systemCode(error)) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return fail('HOST_NOT_FOUND');
    case 'ECONNREFUSED':
      return fail('CONNECTION_REFUSED');
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return fail('CONNECTION_REFUSED', 'no route to the host');
    case 'ETIMEDOUT':
      return fail('TIMEOUT');
  }
  if (message.includes('Timed out while waiting for handshake')) return fail('TIMEOUT');
  if (message.includes('Keepalive timeout')) return fail('TIMEOUT', 'the server stopped answering');
  if (message.includes('All configured authentication methods failed')) return fail('AUTH_FAILED');
  if (message.includes('no matching')) return fail('PROTOCOL_ERROR', `no common algorithm: ${message}`);
  return fail('PROTOCOL_ERROR', message);
}

/** What a file operation was doing, for the message. */
export interface FileOperation {
  action: string;
  fileName: string;
}

/** Maps a failed SFTP request on a file in the import's directory. */
export function fileOperationFailure(error: unknown, settings: ConnectionSettings, { action, fileName }: FileOperation): ConnectionError {
  switch (sftpStatus(error)) {
    case SFTP_STATUS.NO_SUCH_FILE:
      return fileError('FILE_NOT_FOUND', settings, fileName, `${action}: no such file`, error);
    case SFTP_STATUS.PERMISSION_DENIED:
      return connectionError('PERMISSION_DENIED', settings, { detail: `${action} ${JSON.stringify(fileName)}`, cause: error });
  }
  return connectionError('PROTOCOL_ERROR', settings, { detail: `${action} ${JSON.stringify(fileName)}: ${describeRequestFailure(error)}`, cause: error });
}

/** Maps a failed SFTP request on the import's directory itself. */
export function directoryOperationFailure(error: unknown, settings: ConnectionSettings, action: string): ConnectionError {
  switch (sftpStatus(error)) {
    case SFTP_STATUS.NO_SUCH_FILE:
      return connectionError('DIRECTORY_NOT_FOUND', settings, { detail: action, cause: error });
    case SFTP_STATUS.PERMISSION_DENIED:
      return connectionError('PERMISSION_DENIED', settings, { detail: action, cause: error });
  }
  return connectionError('PROTOCOL_ERROR', settings, { detail: `${action}: ${describeRequestFailure(error)}`, cause: error });
}

function describeRequestFailure(error: unknown): string {
  const message = messageOf(error);
  // ssh2 fails every outstanding request with this when the connection drops.
  return message === 'No response from server' ? 'the connection was lost' : message;
}
