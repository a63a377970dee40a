import type { StoredRunFile } from '../db/queries/run-files';
import type { StoredRun } from '../db/queries/runs';
import { kindOf } from '../kinds';

const FILE_STATUS = {
  claimed: 'processing',
  staged: 'processing',
  skipped: 'skipped',
  empty: 'empty',
  duplicate: 'duplicate',
  failed: 'failed',
  done: 'processed',
} as const satisfies Record<StoredRunFile['status'], string>;

/** PostgreSQL's jsonb reorders keys; the API shows them in the order of the run's kind. */
export function orderedSummary(summary: Record<string, number> | null, order: readonly string[]): Record<string, number> | null {
  if (!summary) return null;
  const known = order.filter((k) => k in summary).map((k) => [k, summary[k]!] as const);
  const rest = Object.entries(summary).filter(([k]) => !order.includes(k));
  return Object.fromEntries([...known, ...rest]);
}

export function presentRun(run: StoredRun, files: StoredRunFile[] = []) {
  return {
    id: run.id,
    importId: run.importId,
    importName: run.importName,
    mode: run.mode,
    trigger: run.trigger,
    status: run.status,
    workflowId: run.workflowId,
    createdAt: run.createdAt,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    progress: { bytesRead: run.bytesRead, bytesTotal: run.bytesTotal, rowsStaged: run.rowsStaged, rowsRead: run.rowsRead, rowsApplied: run.rowsApplied },
    files: files.map((f) => ({ name: f.name, renamedTo: f.renamedTo, sha256: f.sha256, rows: f.rows, size: f.size, bytesRead: f.bytesRead, status: FILE_STATUS[f.status] })),
    summary: orderedSummary(run.summary, kindOf(run.kind).summary.map((c) => c.key)),
    error: run.error,
    // what the step after a real run did: the error file written back, the e-mail, what failed
    afterRun: run.afterRun,
  };
}
