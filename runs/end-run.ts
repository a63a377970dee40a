import { withTransaction, type Db } from '../db/pool';
import type { Queryable } from '../db/queries/queryable';
import { insertProblems, summarizeRun } from '../db/queries/reports';
import { findRun, markRunCleaned, markRunEnded, setRunSummary, type RunError } from '../db/queries/runs';
import { clearRunStopRequest } from '../db/queries/run-caps';
import { clearRunListing } from '../db/queries/run-listing';
import { clearRunStaging } from '../db/queries/staging';
import type { Problem } from '../domain/problems';
import { kindOf } from '../kinds';

export type RunEnding = { status: 'completed' } | { status: 'failed'; error: RunError } | { status: 'canceled'; problem?: Problem };

/**
 * The one way a run ends (the workflow's completeRun, failRun and cancelRun, and the reaper): its final
 * status and summary, then its staged rows, listing and the kind's run state (a dry run's copies) dropped, in one
 * transaction. False when the run had ended already (its leftovers are cleaned all the same).
 */
export async function endRun(db: Db, runId: string, ending: RunEnding): Promise<boolean> {
  return withTransaction(db, async (tx) => {
    const run = await findRun(tx, runId);
    if (!run) return false;
    const kind = kindOf(run.kind);
    const ended = await markRunEnded(tx, runId, { status: ending.status, error: ending.status === 'failed' ? ending.error : null });
    if (ended) {
      if (ending.status === 'canceled' && ending.problem) await insertProblems(tx, runId, null, null, [ending.problem]);
      await setRunSummary(tx, runId, await summarizeRun(tx, runId, kind.summary));
    }
    await cleanRun(tx, runId, run.kind);
    return ended;
  });
}

/** A finished run's leftovers removed: its staged rows, its listing, a stop request and the kind's copies. */
export async function cleanEndedRun(db: Db, runId: string): Promise<void> {
  await withTransaction(db, async (tx) => {
    const run = await findRun(tx, runId);
    if (run) await cleanRun(tx, runId, run.kind);
  });
}

async function cleanRun(tx: Queryable, runId: string, kindName: string): Promise<void> {
  await clearRunStaging(tx, runId);
  await clearRunListing(tx, runId);
  await clearRunStopRequest(tx, runId);
  await kindOf(kindName).clearRun(tx, runId);
  await markRunCleaned(tx, runId);
}
