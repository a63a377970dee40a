import type { RunFileStatus } from '../db/queries/run-files';
import type { RunError } from '../db/queries/runs';

/** What a run e-mail says: counts, codes, file names and where files are; never a row's values. */
export interface RunEmailFacts {
  importName: string;
  kind: string;
  runId: string;
  status: 'completed' | 'failed';
  finishedAt: Date;
  /** The run's error when it failed: a code and a sentence that Temporal history holds already. */
  error: RunError | null;
  /** Where the files are, e.g. `SFTP files.example.org:22, directory ScheduledImports/Roster`. */
  location: string;
  files: { name: string; status: RunFileStatus; renamedTo: string | null; rows: number }[];
  /** Why a file failed as a whole (e.g. HEADER_MISMATCH), by file name: the code only, since a message may quote the file. */
  fileErrors: ReadonlyMap<string, string>;
  /** The summary in the kind's order. */
  summary: [string, number][];
  rowErrors: { code: string; count: number }[];
  errorFile: string | null;
  /** Why the error file could not be written, when it could not. */
  errorFileProblem: string | null;
}

const plural = (n: number, one: string, many = `${one}s`) => `${String(n)} ${n === 1 ? one : many}`;

function describeFile(file: RunEmailFacts['files'][number], fileErrors: RunEmailFacts['fileErrors']): string {
  switch (file.status) {
    case 'done':
      return `${file.name}: processed (${plural(file.rows, 'row')})${file.renamedTo ? `, renamed to ${file.renamedTo}` : ''}.`;
    case 'duplicate':
      return `${file.name}: the same content as a file this import already imported; not applied again${file.renamedTo ? `, renamed to ${file.renamedTo}` : ''}.`;
    case 'empty':
      return `${file.name}: no rows; nothing applied${file.renamedTo ? `, renamed to ${file.renamedTo}` : ''}.`;
    case 'failed':
      return `${file.name}: NOT applied (${fileErrors.get(file.name) ?? 'failed'}); nothing in it was applied and it was left in place. Fix it and the next run takes it again.`;
    case 'skipped':
      return `${file.name}: skipped; it was still being written and is left for the next run.`;
    default:
      return `${file.name}: not finished (the run stopped).`;
  }
}

/** The e-mail after a real run: on failure what failed (and where the failing rows are); on success the counts. */
export function composeRunEmail(facts: RunEmailFacts): { subject: string; text: string } {
  const failedFiles = facts.files.filter((f) => f.status === 'failed');
  const rowsFailed = facts.rowErrors.reduce((sum, e) => sum + e.count, 0);
  const failed = facts.status === 'failed' || failedFiles.length > 0;
  const outcome = failed ? 'FAILED' : rowsFailed > 0 ? `completed, ${plural(rowsFailed, 'row')} failed` : 'completed';
  const subject = `Import "${facts.importName}": ${outcome}`;

  const lines = [`Import "${facts.importName}" (${facts.kind}), run ${facts.runId}, finished ${facts.finishedAt.toISOString()}.`, `Files: ${facts.location}.`, ''];
  if (facts.status === 'failed' && facts.error) lines.push(`The run failed: ${facts.error.code}: ${facts.error.message}`, '');
  for (const file of facts.files) lines.push(describeFile(file, facts.fileErrors));
  if (facts.files.length === 0) lines.push('No file to import was found.');
  lines.push('', `${facts.summary.map(([key, n]) => `${key} ${String(n)}`).join(', ')}.`);
  if (rowsFailed > 0) {
    lines.push(`${plural(rowsFailed, 'row')} failed: ${facts.rowErrors.map((e) => `${e.code} ${String(e.count)}`).join(', ')}. The other rows were applied.`);
    if (facts.errorFile) lines.push(`The failing rows, with their line, code and message, are in ${facts.errorFile} in the same directory.`);
    else if (facts.errorFileProblem) lines.push(`The error file could not be written: ${facts.errorFileProblem}`);
  }
  lines.push('', `The full report: GET /api/runs/${facts.runId}/report`);
  return { subject, text: lines.join('\n') + '\n' };
}
