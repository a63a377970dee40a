import { markRunCanceled, type StoredRun } from '../db/queries/runs';
import type { ApiDeps } from './env';

/**
 * Cancels a run that has not ended. A batch run still waiting for its start time is canceled here, in the
 * database, so it cannot start even if Temporal does not take the cancellation now (the workflow then finds
 * it canceled at its start time). Any other run is canceled by its workflow, which ends it `canceled`
 * after the chunk in flight; a run whose workflow is gone is ended by the run reaper.
 * False when a waiting batch run had just started or ended (its caller answers accordingly).
 */
export async function cancelRun(deps: Pick<ApiDeps, 'db' | 'launcher'>, run: Pick<StoredRun, 'id' | 'workflowId' | 'status' | 'trigger'>): Promise<boolean> {
  if (run.status === 'queued' && run.trigger === 'batch') {
    if (!(await markRunCanceled(deps.db, run.id))) return false;
    await deps.launcher.cancelRun(run.workflowId).catch(() => {});
    return true;
  }
  await deps.launcher.cancelRun(run.workflowId);
  return true;
}
