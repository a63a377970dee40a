import { withTransaction } from '../db/pool';
import { clearRunProblems, insertProblems } from '../db/queries/reports';
import { replaceRunListing } from '../db/queries/run-listing';
import { selectFiles, skippedFileProblem } from '../domain/files';
import { capListing, filesWaitingProblem } from '../domain/run-caps';
import { loadRunContext, withRunSource } from './context';
import type { ActivityDeps } from './deps';

export interface RunListing {
  /** Files the run takes, stored as ordinals 0…files-1 in run_listing. */
  files: number;
  /** Files left in place by the file or byte cap. */
  filesWaiting: number;
  /** Rows the run may stage in all (MAX_ROWS_PER_RUN). */
  rowBudget: number;
}

export function createListFilesActivity(deps: ActivityDeps) {
  return {
    /**
     * Connects, lists the directory and picks the run's kind's files, oldest first, as far as the run's file and
     * byte caps allow; files still being written are reported and left. The listing is stored, not returned.
     */
    async listFiles({ runId }: { runId: string }): Promise<RunListing> {
      const context = await loadRunContext(deps, runId);
      const listing = await withRunSource(deps, context, (source) => source.list());
      const selection = selectFiles(listing, (name) => context.kind.takesFile(name));
      const caps = deps.config.runCaps;
      const capped = capListing(selection.take.map((f) => f.size), caps);
      const problems = selection.skipped.map(skippedFileProblem);
      if (capped.cap) problems.push(filesWaitingProblem(capped.cap, capped.cap === 'files' ? caps.maxFiles : caps.maxBytes, capped.waiting));
      await withTransaction(deps.db, async (tx) => {
        // a retried listing rewrites its own problems (the run-level ones) and its listing whole
        await clearRunProblems(tx, runId);
        await insertProblems(tx, runId, null, null, problems);
        await replaceRunListing(tx, runId, selection.take.slice(0, capped.take));
      });
      return { files: capped.take, filesWaiting: capped.waiting, rowBudget: caps.maxRows };
    },
  };
}
