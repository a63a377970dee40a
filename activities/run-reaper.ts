import { Context } from '@temporalio/activity';
import { listUncleanedRuns, listUnfinishedRuns } from '../db/queries/runs';
import { reapedEnding } from '../domain/run-reaping';
import { cleanEndedRun, endRun } from '../runs/end-run';
import type { MaintenanceDeps } from './maintenance-deps';

/** Runs looked at per reaper pass; more wait for the next pass, a minute later. */
const RUNS_PER_PASS = 500;

export function createRunReaperActivity(deps: MaintenanceDeps) {
  return {
    /**
     * Ends the queued or running runs older than RUN_REAPER_GRACE_SECONDS whose workflows no longer run
     * (never started, terminated, timed out, failed or canceled without ending the run), so no run holds
     * its import forever; then removes the leftovers (staged rows, dry-run copies) of finished runs.
     */
    async reapRuns(): Promise<{ ended: number; cleaned: number }> {
      const now = deps.now?.() ?? new Date();
      const createdBefore = new Date(now.getTime() - deps.config.runReaperGraceSeconds * 1000);
      let ended = 0;
      for (const run of await listUnfinishedRuns(deps.db, createdBefore, RUNS_PER_PASS)) {
        Context.current().heartbeat();
        const ending = reapedEnding(await deps.workflowState(run.workflowId));
        if (ending && (await endRun(deps.db, run.id, ending))) ended++;
      }
      const uncleaned = await listUncleanedRuns(deps.db, RUNS_PER_PASS);
      for (const runId of uncleaned) {
        Context.current().heartbeat();
        await cleanEndedRun(deps.db, runId);
      }
      return { ended, cleaned: uncleaned.length };
    },
  };
}
