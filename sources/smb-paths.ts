import { directorySegments, type ConnectionSettings } from '../domain/connection';
import { connectionError, fileError } from '../domain/connection-errors';

/** Where an import's files are on an SMB server: the share, and the directory inside it. */
export interface SmbLocation {
  share: string;
  /** Path segments below the share root; empty for the root itself. */
  directory: string[];
}

/**
 * Why smbclient's `-c` command line cannot carry a name safely, or undefined when it can.
 * smbclient splits commands at every `;` (even inside quotes) and toggles quoting at every
 * `"` with no escape; control characters end or split tokens; `* ? < >` are wildcards in
 * `ls` masks (so `stat` could match another file); `:` selects an alternate data stream;
 * `\` and `/` are separators. Windows servers silently strip a trailing space or dot, so
 * such a name could address another file. None of these can occur on a Windows server;
 * Samba shows them only with `mangled names = no` (otherwise as 8.3 names like `AB12CD~1.CSV`).
 */
export function unsafeNameReason(name: string): string | undefined {
  if (name === '' || name === '.' || name === '..') return 'not a file name';
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'it contains a control character or line break';
  const special = /[";*?<>|:\\/]/.exec(name);
  if (special) return `it contains ${JSON.stringify(special[0])}, which smbclient's command line cannot carry safely`;
  if (/[ .]$/.test(name)) return 'it ends in a space or a dot, which Windows servers strip';
  return undefined;
}

/** Splits the connection's directory path into share and directory; refuses segments smbclient cannot carry. */
export function smbLocation(settings: ConnectionSettings): SmbLocation {
  const [share, ...directory] = directorySegments(settings.directoryPath);
  if (share === undefined) {
    throw connectionError('DIRECTORY_NOT_FOUND', settings, { detail: 'the directory path must start with the share name' });
  }
  for (const segment of directory) {
    const reason = unsafeNameReason(segment);
    if (reason) throw fileError('UNSAFE_FILE_NAME', settings, segment, `directory name refused: ${reason}`);
  }
  return { share, directory };
}

/** A path inside the share in smbclient's form: `dir\sub\name` (or `name` at the share root). */
export function remotePath(location: SmbLocation, name: string): string {
  return [...location.directory, name].join('\\');
}

/** A path as one quoted smbclient argument. Callers pass only names that unsafeNameReason accepted. */
export function quoted(path: string): string {
  return `"${path}"`;
}
