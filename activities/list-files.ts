import { withTransaction } from '../db/pool';
import { insertProblems } from '../db/queries/reports';
import { selectEligibilityFiles, skippedFileProblem } from '../domain/files';
import type { ListedFile } from '../domain/runs';
import { loadRunContext, withSource } from './context';
import type { ActivityDeps } from './deps';

export function createListFilesActivity(deps: ActivityDeps) {
  return {
    /** Connects, lists the directory and picks this kind's files, oldest first; files still being written are reported and left. */
    async listFiles({ runId }: { runId: string }): Promise<{ files: ListedFile[] }> {
      const { imp } = await loadRunContext(deps, runId);
      const listing = await withSource(deps, imp, (source) => source.list());
      const selection = selectEligibilityFiles(listing);
      await withTransaction(deps.db, async (tx) => {
        // a retried listing rewrites its own problems (the run-level ones) whole
        await tx.query('delete from problems where run_id = $1 and run_file_id is null', [runId]);
        await insertProblems(tx, runId, null, null, selection.skipped.map(skippedFileProblem));
      });
      return { files: selection.take.map((f) => ({ name: f.name, size: f.size, modifiedAt: f.modifiedAt.toISOString() })) };
    },
  };
}
