import { withTransaction } from '../db/pool';
import { clearRunProblems, insertProblems } from '../db/queries/reports';
import { selectFiles, skippedFileProblem } from '../domain/files';
import type { ListedFileJson } from '../domain/runs';
import { loadRunContext, withRunSource } from './context';
import type { ActivityDeps } from './deps';

export function createListFilesActivity(deps: ActivityDeps) {
  return {
    /** Connects, lists the directory and picks the run's kind's files, oldest first; files still being written are reported and left. */
    async listFiles({ runId }: { runId: string }): Promise<{ files: ListedFileJson[] }> {
      const context = await loadRunContext(deps, runId);
      const listing = await withRunSource(deps, context, (source) => source.list());
      const selection = selectFiles(listing, (name) => context.kind.takesFile(name));
      await withTransaction(deps.db, async (tx) => {
        // a retried listing rewrites its own problems (the run-level ones) whole
        await clearRunProblems(tx, runId);
        await insertProblems(tx, runId, null, null, selection.skipped.map(skippedFileProblem));
      });
      return { files: selection.take.map((f) => ({ name: f.name, size: f.size, modifiedAt: f.modifiedAt.toISOString() })) };
    },
  };
}
