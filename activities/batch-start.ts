import { findImportById } from '../db/queries/imports';
import { findRun, markRunCanceled, markRunFailed, markRunRunning, RunInProgressError } from '../db/queries/runs';
import type { ActivityDeps } from './deps';
import { RunFailure } from './failures';

export function createBatchStartActivities(deps: ActivityDeps) {
  return {
    /**
     * A batch run's start, once its start time has come: the import must still exist and be active, and
     * no other real run may hold it. While one does, this fails retryably and the workflow's retry policy
     * waits; a batch canceled meanwhile fails RUN_CANCELED and changes nothing.
     */
    async startBatchRun({ runId }: { runId: string }): Promise<void> {
      const run = await findRun(deps.db, runId);
      if (!run) throw new RunFailure('RUN_NOT_FOUND', 'The run record is missing.');
      if (run.status === 'running') return;
      if (run.status === 'canceled') throw new RunFailure('RUN_CANCELED', 'The batch submission was canceled before it started.');
      if (run.status !== 'queued') throw new RunFailure(run.error?.code ?? 'RUN_ENDED', run.error?.message ?? 'The batch submission has ended already.');
      const imp = run.importId ? await findImportById(deps.db, run.importId) : undefined;
      const refusal = !imp
        ? { code: 'IMPORT_NOT_FOUND', message: 'The import was deleted before the batch submission started.' }
        : !imp.active
          ? { code: 'IMPORT_INACTIVE', message: `Import "${imp.name}" was inactive when the batch submission was due to start.` }
          : undefined;
      if (refusal) {
        await markRunFailed(deps.db, runId, refusal, null);
        throw new RunFailure(refusal.code, refusal.message);
      }
      let started: boolean;
      try {
        started = await markRunRunning(deps.db, runId);
      } catch (error) {
        if (!(error instanceof RunInProgressError)) throw error;
        throw new RunFailure('RUN_IN_PROGRESS', `Another run of import "${imp!.name}" is queued or running; the batch submission starts after it.`, true);
      }
      if (!started) throw new RunFailure('RUN_CANCELED', 'The batch submission was canceled before it started.');
    },

    /** The workflow was canceled before the run began (nothing was read or applied): the run ends canceled. */
    async cancelBatchRun({ runId }: { runId: string }): Promise<void> {
      await markRunCanceled(deps.db, runId, ['queued', 'running']);
    },
  };
}
