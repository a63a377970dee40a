import type { SmbSecurity, SmbSession } from '../domain/connection';

/**
 * smbclient options for each SmbSecurity; `--option` overrides the host's smb.conf. With
 * `required` a server (or a man in the middle) offering less than SMB3, or no encryption,
 * fails the connection instead of being negotiated down. `legacy` still refuses SMB1 and
 * unsigned sessions, and encrypts whenever the server offers it.
 */
export function securityOptions(security: SmbSecurity): string[] {
  const [minProtocol, encrypt] = security === 'required' ? ['SMB3', 'required'] : ['SMB2_02', 'desired'];
  return [`--option=client min protocol=${minProtocol}`, `--option=client smb encrypt=${encrypt}`, '--option=client signing=required'];
}

/** The debug level at which smbclient logs the dialect (4) and every signed or encrypted message (5). */
export const SESSION_DEBUG_LEVEL = 5;

const DIALECT = /^ negotiated dialect\[(SMB[0-9_]+)\] against server\[/;
const TREE_CONNECTED = ' tconx ok';
const ENCRYPTED = 'smb2_signing_encrypt_pdu: Encrypted SMB2 message';
const SIGNED = /^signed SMB2 message \(sign_algo_id=\d+\)$/;

/**
 * How the session was protected, read from the stderr of a run at SESSION_DEBUG_LEVEL with
 * no command that prints server data; undefined when the lines are not there. The dialect
 * is logged while negotiating, before the server has sent any text. Protection is judged by
 * what smbclient sent after the last tree connect (the share's traffic): SMB3 encryption also
 * authenticates every message, so an encrypted session counts as signed.
 */
export function parseSmbSession(debugOutput: string): SmbSession | undefined {
  const lines = debugOutput.split('\n');
  const dialect = lines.map((line) => DIALECT.exec(line)?.[1]).find((found) => found !== undefined);
  const connectedAt = lines.lastIndexOf(TREE_CONNECTED);
  if (dialect === undefined || connectedAt < 0) return undefined;
  const afterConnect = lines.slice(connectedAt + 1);
  const encrypted = afterConnect.includes(ENCRYPTED);
  const signed = encrypted || afterConnect.some((line) => SIGNED.test(line));
  return { dialect, signed, encrypted };
}
