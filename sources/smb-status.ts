import { SMB_SECURITY_DEFAULT, type ConnectionSettings } from '../domain/connection';
import { connectionError, fileError, type ConnectionError, type ConnectionErrorCode } from '../domain/connection-errors';
import type { SmbclientExit } from './smb-client-process';

/** What a failed smbclient command was working on: the session and directory, or one file in it (`action`: e.g. "reading"). */
export type SmbTarget = { kind: 'directory' } | { kind: 'file'; name: string; action: string };

const AUTH_STATUSES = new Set([
  'NT_STATUS_LOGON_FAILURE',
  'NT_STATUS_WRONG_PASSWORD',
  'NT_STATUS_NO_SUCH_USER',
  'NT_STATUS_ACCOUNT_DISABLED',
  'NT_STATUS_ACCOUNT_LOCKED_OUT',
  'NT_STATUS_ACCOUNT_EXPIRED',
  'NT_STATUS_ACCOUNT_RESTRICTION',
  'NT_STATUS_PASSWORD_EXPIRED',
  'NT_STATUS_PASSWORD_MUST_CHANGE',
  'NT_STATUS_INVALID_LOGON_HOURS',
  'NT_STATUS_INVALID_WORKSTATION',
]);
const DIRECTORY_STATUSES = new Set(['NT_STATUS_BAD_NETWORK_NAME', 'NT_STATUS_OBJECT_PATH_NOT_FOUND', 'NT_STATUS_NOT_A_DIRECTORY']);
/** "No such name": the directory when listing it, the file when working on one. */
const NAME_STATUSES = new Set(['NT_STATUS_OBJECT_NAME_NOT_FOUND', 'NT_STATUS_NO_SUCH_FILE']);
const UNREACHABLE_STATUSES = new Set(['NT_STATUS_HOST_UNREACHABLE', 'NT_STATUS_NETWORK_UNREACHABLE']);
const CONNECTION_LOST_STATUSES = new Set(['NT_STATUS_CONNECTION_RESET', 'NT_STATUS_CONNECTION_DISCONNECTED', 'NT_STATUS_CONNECTION_ABORTED', 'NT_STATUS_PIPE_BROKEN']);
const PERMISSION_STATUSES = new Set(['NT_STATUS_ACCESS_DENIED', 'NT_STATUS_NETWORK_ACCESS_DENIED', 'NT_STATUS_MEDIA_WRITE_PROTECTED']);

/**
 * The NT status smbclient printed for a failure, e.g. `NT_STATUS_LOGON_FAILURE`. Messages put
 * the status first (`tree connect failed: NT_STATUS_…`, `NT_STATUS_… opening remote file \x`),
 * so the first status of each line is the one; listing lines (two leading spaces) are file
 * names and are skipped, as a name may itself contain `NT_STATUS_`.
 */
export function ntStatusOf(messages: string): string | undefined {
  for (const line of messages.split('\n')) {
    if (line.startsWith('  ')) continue;
    const status = /NT_STATUS_[A-Z0-9_]+/.exec(line)?.[0];
    if (status) return status;
  }
  return undefined;
}

/**
 * Why smbclient would not settle for the session the server offered, or undefined: the
 * lines it prints when no common dialect is at least `client min protocol`, and when
 * `client smb encrypt = required` meets a server without SMB3 encryption. Both come before
 * any listing, so only the lines before the first listed name are read.
 */
export function sessionRefusal(messages: string): 'dialect' | 'encryption' | undefined {
  const lines = messages.split('\n');
  const listingAt = lines.findIndex((line) => line.startsWith('  '));
  for (const line of listingAt < 0 ? lines : lines.slice(0, listingAt)) {
    if (line.startsWith('protocol negotiation failed: NT_STATUS_NOT_SUPPORTED')) return 'dialect';
    if (line.startsWith("Encryption required and server doesn't support SMB3 encryption")) return 'encryption';
  }
  return undefined;
}

const REFUSAL_DETAILS = {
  dialect: 'the server offers no SMB3 dialect',
  encryption: 'the server does not encrypt SMB3 sessions',
};

/** The last message line, as a detail for failures without an NT status. smbclient never prints the password. */
function lastMessageLine(messages: string): string {
  const lines = messages.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
  return (lines[lines.length - 1] ?? 'no message').slice(0, 300);
}

/** Maps a failed smbclient run to one ConnectionError. */
export function smbFailure(exit: SmbclientExit, settings: ConnectionSettings, target: SmbTarget): ConnectionError {
  const about = target.kind === 'file' ? `file ${JSON.stringify(target.name)}, ${target.action}: ` : '';
  const cause = exit.error ?? new Error(`smbclient ended with ${describeEnd(exit)}: ${lastMessageLine(exit.messages)}`);
  const fail = (code: ConnectionErrorCode, detail: string) => connectionError(code, settings, { detail: about + detail, cause });

  if (exit.timedOut) return fail('TIMEOUT', `smbclient made no progress for ${exit.timeoutMs} ms and was stopped`);
  if (exit.error) return fail('PROTOCOL_ERROR', `smbclient could not be run: ${exit.error.message}`);

  const refusal = sessionRefusal(exit.messages);
  if (refusal && (settings.smbSecurity ?? SMB_SECURITY_DEFAULT) === 'required') return fail('SMB_ENCRYPTION_UNAVAILABLE', REFUSAL_DETAILS[refusal]);
  // legacy never settles for SMB1; it does settle for no encryption, so that line is only noise then
  if (refusal === 'dialect') return fail('PROTOCOL_ERROR', 'the server offers no SMB2 or SMB3 dialect (SMB1 is never used)');

  const status = ntStatusOf(exit.messages);
  if (status === undefined) return fail('PROTOCOL_ERROR', `smbclient ended with ${describeEnd(exit)}: ${lastMessageLine(exit.messages)}`);
  if (AUTH_STATUSES.has(status)) return fail('AUTH_FAILED', status);
  if (status === 'NT_STATUS_CONNECTION_REFUSED') return fail('CONNECTION_REFUSED', status);
  if (UNREACHABLE_STATUSES.has(status)) return fail('CONNECTION_REFUSED', `no route to the host (${status})`);
  if (status === 'NT_STATUS_IO_TIMEOUT') return fail('TIMEOUT', status);
  if (CONNECTION_LOST_STATUSES.has(status)) return fail('PROTOCOL_ERROR', `the connection was lost (${status})`);
  if (DIRECTORY_STATUSES.has(status)) return fail('DIRECTORY_NOT_FOUND', status);
  if (NAME_STATUSES.has(status)) {
    return target.kind === 'file' ? fileError('FILE_NOT_FOUND', settings, target.name, `${target.action}: no such file (${status})`, cause) : fail('DIRECTORY_NOT_FOUND', status);
  }
  if (status === 'NT_STATUS_OBJECT_NAME_COLLISION' && target.kind === 'file') {
    return fileError('FILE_EXISTS', settings, target.name, `${target.action}: the target name is taken (${status})`, cause);
  }
  if (PERMISSION_STATUSES.has(status)) {
    // Samba with `map to guest = bad user` (Debian's default) lets an unknown user in as guest; a guest
    // session cannot sign, which smbclient requires, so it fails at session setup (or the share refuses
    // it at tree connect): an unknown user name reads as access denied, not as a failed logon.
    const guestHint = /(tree connect|session setup) failed/.test(exit.messages) ? '; an unknown user name shows this way too on servers that map unknown users to guest' : '';
    return fail('PERMISSION_DENIED', status + guestHint);
  }
  return fail('PROTOCOL_ERROR', status);
}

function describeEnd(exit: SmbclientExit): string {
  return exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
}
