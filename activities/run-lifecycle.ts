import { Context } from '@temporalio/activity';
import { withTransaction } from '../db/pool';
import { summarizeRun } from '../db/queries/reports';
import { findRun, markRunCompleted, markRunFailed, markRunRunning, RunInProgressError } from '../db/queries/runs';
import { clearRunStaging } from '../db/queries/staging';
import type { ImportRunInput } from '../domain/runs';
import { kindOf, UnknownKindError } from '../kinds';
import { createRun } from '../runs/create-run';
import { needsAfterRun } from './after-run';
import { findImportOrFail } from './context';
import type { ActivityDeps } from './deps';
import { RunFailure } from './failures';

export function createRunLifecycleActivities(deps: ActivityDeps) {
  return {
    /** Marks the run running; a schedule-started run has no row yet, so it is created (and fixed) here. */
    async beginRun(input: ImportRunInput & { runId: string }): Promise<{ chunkSize: number }> {
      let run = await findRun(deps.db, input.runId);
      if (!run) {
        const imp = await findImportOrFail(deps, input.importId);
        if (input.mode === 'run' && !imp.active) throw new RunFailure('IMPORT_INACTIVE', `Import "${imp.name}" is inactive.`);
        const workflowId = Context.current().info.workflowExecution?.workflowId ?? input.runId;
        try {
          run = await createRun(deps.db, { id: input.runId, imp, mode: input.mode, trigger: input.trigger, workflowId });
        } catch (error) {
          if (error instanceof RunInProgressError) throw new RunFailure('RUN_IN_PROGRESS', `A run of import "${imp.name}" is already in progress.`);
          if (error instanceof UnknownKindError) throw new RunFailure(error.code, error.message);
          throw error;
        }
      }
      if (run.status === 'failed' && run.error) throw new RunFailure(run.error.code, run.error.message);
      await markRunRunning(deps.db, input.runId);
      return { chunkSize: deps.config.chunkSize };
    },

    /** The kind's summary, final status, and the run's staging and the kind's run state (e.g. a dry run's copy) dropped; says whether the kind's afterRun follows. */
    async completeRun({ runId }: { runId: string }): Promise<{ afterRun: boolean }> {
      await withTransaction(deps.db, async (tx) => {
        const run = await findRun(tx, runId);
        if (!run) throw new RunFailure('RUN_NOT_FOUND', 'The run record is missing.');
        const kind = kindOf(run.kind);
        await markRunCompleted(tx, runId, await summarizeRun(tx, runId, kind.summary));
        await clearRunStaging(tx, runId);
        await kind.clearRun(tx, runId);
      });
      return { afterRun: await needsAfterRun(deps, runId) };
    },

    async failRun({ runId, code, message }: { runId: string; code: string; message: string }): Promise<{ afterRun: boolean }> {
      await withTransaction(deps.db, async (tx) => {
        const run = await findRun(tx, runId);
        if (!run) return;
        const kind = kindOf(run.kind);
        await markRunFailed(tx, runId, { code, message }, await summarizeRun(tx, runId, kind.summary));
        await clearRunStaging(tx, runId);
        await kind.clearRun(tx, runId);
      });
      return { afterRun: await needsAfterRun(deps, runId) };
    },
  };
}
