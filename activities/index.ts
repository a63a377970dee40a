import { guarded } from './failures';
import { createAfterRunActivity } from './after-run';
import { createApplyChunkActivity } from './apply-chunk';
import { createBatchRetentionActivity } from './batch-retention';
import { createBatchStartActivities } from './batch-start';
import { createClaimFileActivity } from './claim-file';
import { createDeferFilesActivity } from './defer-files';
import type { ActivityDeps } from './deps';
import { createFinishFileActivity } from './finish-file';
import { createListFilesActivity } from './list-files';
import type { MaintenanceDeps } from './maintenance-deps';
import { createRunLifecycleActivities } from './run-lifecycle';
import { createRunReaperActivity } from './run-reaper';
import { createStageFileActivity } from './stage-file';
import { createTestConnectionActivity } from './test-connection';

function guardAll<T extends Record<string, (...args: never[]) => Promise<unknown>>>(activities: T): T {
  return Object.fromEntries(Object.entries(activities).map(([name, fn]) => [name, guarded(fn as (...args: unknown[]) => Promise<unknown>)])) as unknown as T;
}

/** Every activity the worker registers; each failure leaves through toActivityFailure (no row data in history). */
export function createActivities(deps: ActivityDeps) {
  return guardAll({
    ...createRunLifecycleActivities(deps),
    ...createBatchStartActivities(deps),
    ...createListFilesActivity(deps),
    ...createClaimFileActivity(deps),
    ...createStageFileActivity(deps),
    ...createApplyChunkActivity(deps),
    ...createDeferFilesActivity(deps),
    ...createFinishFileActivity(deps),
    ...createAfterRunActivity(deps),
    ...createTestConnectionActivity(deps),
  });
}

/** The service's upkeep, run by Temporal Schedules the worker keeps (batch retention, the run reaper). */
export function createMaintenanceActivities(deps: MaintenanceDeps) {
  return guardAll({ ...createBatchRetentionActivity(deps), ...createRunReaperActivity(deps) });
}

export type Activities = ReturnType<typeof createActivities>;
export type MaintenanceActivities = ReturnType<typeof createMaintenanceActivities>;
export type ImportRunActivities = Omit<Activities, 'testConnection'>;
export type ConnectionActivities = Pick<Activities, 'testConnection'>;
export type { ActivityDeps } from './deps';
export type { MaintenanceDeps } from './maintenance-deps';
