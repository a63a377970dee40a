import type { StoredRunFile } from '../db/queries/run-files';
import type { StoredRun } from '../db/queries/runs';

const FILE_STATUS: Record<StoredRunFile['status'], string> = {
  claimed: 'processing',
  staged: 'processing',
  skipped: 'skipped',
  empty: 'empty',
  duplicate: 'duplicate',
  failed: 'failed',
  done: 'processed',
};

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
    progress: { rowsRead: run.rowsRead, rowsApplied: run.rowsApplied },
    files: files.map((f) => ({ name: f.name, renamedTo: f.renamedTo, sha256: f.sha256, rows: f.rows, size: f.size, status: FILE_STATUS[f.status] })),
    summary: run.summary,
    error: run.error,
  };
}
