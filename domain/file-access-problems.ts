import { ConnectionError } from './connection-errors';
import { fileProblem, type Problem } from './problems';

/** Codes of a listed file the run could not read or rename; the file stays in place and the run goes on. */
export const FILE_ACCESS_CODES = ['FILE_VANISHED', 'FILE_NOT_READABLE', 'FILE_NOT_RENAMED', 'UNSAFE_FILE_NAME'] as const;
export type FileAccessCode = (typeof FILE_ACCESS_CODES)[number];

/**
 * The file's problem when `error` concerns that one file, else undefined (the run fails as before).
 * The directory was listed in this run, so a permission refused on one of its files is that file's:
 * the adapters raise it as the connection-level PERMISSION_DENIED.
 */
export function fileAccessProblem(error: unknown, fileName: string, step: 'read' | 'rename'): Problem | undefined {
  if (!(error instanceof ConnectionError)) return undefined;
  const quoted = JSON.stringify(fileName);
  const problem = (code: FileAccessCode, why: string) => fileProblem(fileName, 'error', code, `File ${quoted} ${why}; it stays in place and was not renamed.`);
  if (error.code === 'UNSAFE_FILE_NAME') return problem('UNSAFE_FILE_NAME', 'has a name that is not a plain file name in the directory');
  if (step === 'read') {
    if (error.code === 'FILE_NOT_FOUND') return problem('FILE_VANISHED', 'disappeared between listing and reading');
    if (error.code === 'PERMISSION_DENIED') return problem('FILE_NOT_READABLE', 'could not be read: the server refused permission');
    return undefined;
  }
  if (error.code === 'FILE_NOT_FOUND' || error.code === 'FILE_EXISTS' || error.code === 'PERMISSION_DENIED') {
    return fileProblem(fileName, 'error', 'FILE_NOT_RENAMED', `File ${quoted} was applied but could not be renamed (${error.code}); it stays in place and a later run reports it as a duplicate.`);
  }
  return undefined;
}
