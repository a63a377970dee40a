import { withTransaction } from '../db/pool';
import { insertProblems } from '../db/queries/reports';
import { clearRunCapProblems } from '../db/queries/run-caps';
import { filesWaitingProblem } from '../domain/run-caps';
import type { ActivityDeps } from './deps';

export function createDeferFilesActivity(deps: ActivityDeps) {
  return {
    /**
     * The run's row budget is spent: files from `fromOrdinal` on are not claimed and stay in place for the next run.
     * Says so in one run-level warning, counting them with those the listing's caps already left (`alsoWaiting`).
     */
    async deferFiles({ runId, fromOrdinal, files, alsoWaiting }: { runId: string; fromOrdinal: number; files: number; alsoWaiting: number }): Promise<void> {
      const waiting = files - fromOrdinal + alsoWaiting;
      await withTransaction(deps.db, async (tx) => {
        await clearRunCapProblems(tx, runId);
        await insertProblems(tx, runId, null, null, [filesWaitingProblem('rows', deps.config.runCaps.maxRows, waiting)]);
      });
    },
  };
}
