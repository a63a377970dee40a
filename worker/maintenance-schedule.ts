import { Client, Connection, ScheduleAlreadyRunning, ScheduleOverlapPolicy, type ScheduleOptions } from '@temporalio/client';
import type { AppConfig } from '../config';
import { describeError } from '../runtime/describe-error';
import { batchRetentionWorkflow, runReaperWorkflow } from '../workflows';
import { temporalConnectionOptions } from './temporal-connection';

export const BATCH_RETENTION_SCHEDULE_ID = 'maintenance/batch-retention';
export const RUN_REAPER_SCHEDULE_ID = 'maintenance/run-reaper';

interface MaintenanceSchedule {
  id: string;
  workflowType: typeof batchRetentionWorkflow | typeof runReaperWorkflow;
  every: string;
  note: string;
  /** What stays undone while the schedule is missing, for the warning. */
  withoutIt: string;
}

const SCHEDULES: readonly MaintenanceSchedule[] = [
  {
    id: BATCH_RETENTION_SCHEDULE_ID,
    workflowType: batchRetentionWorkflow,
    every: '1 hour',
    note: 'Removes finished batch submissions older than BATCH_RETENTION_DAYS, except those kept until deleted.',
    withoutIt: 'expired batch results stay',
  },
  {
    id: RUN_REAPER_SCHEDULE_ID,
    workflowType: runReaperWorkflow,
    every: '1 minute',
    note: 'Ends queued or running runs whose workflows are gone (older than RUN_REAPER_GRACE_SECONDS) and cleans finished runs\' staged rows and dry-run copies.',
    withoutIt: 'a run whose workflow is gone keeps its import busy',
  },
];

function scheduleOptions(schedule: MaintenanceSchedule, taskQueue: string): Omit<ScheduleOptions, 'scheduleId'> {
  return {
    spec: { intervals: [{ every: schedule.every }] },
    action: { type: 'startWorkflow', workflowType: schedule.workflowType, taskQueue, workflowId: `${schedule.id}/run`, args: [] },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: schedule.every },
    state: { note: schedule.note },
  };
}

/**
 * Creates the maintenance schedules, or brings existing ones in step with this code; every worker does
 * it when it starts. A failure is only logged: imports still run, and the next worker start tries again.
 */
export async function ensureMaintenanceSchedule(config: AppConfig): Promise<void> {
  let connection: Connection;
  try {
    connection = await Connection.connect(await temporalConnectionOptions(config));
  } catch (error) {
    console.warn(`The maintenance schedules could not be created or updated (Temporal did not answer), so ${SCHEDULES.map((s) => s.withoutIt).join(' and ')} until a worker start succeeds: ${describeError(error)}`);
    return;
  }
  try {
    const client = new Client({ connection, namespace: config.temporal.namespace });
    for (const schedule of SCHEDULES) {
      const options = scheduleOptions(schedule, config.temporal.taskQueue);
      try {
        await client.schedule.create({ scheduleId: schedule.id, ...options });
      } catch (error) {
        if (!(error instanceof ScheduleAlreadyRunning)) {
          console.warn(`The schedule ${schedule.id} could not be created, so ${schedule.withoutIt} until a worker start succeeds: ${describeError(error)}`);
          continue;
        }
        // an operator's pause (and note) stays
        await client.schedule
          .getHandle(schedule.id)
          .update((old) => ({ ...old, spec: options.spec, action: options.action, policies: options.policies }))
          .catch((error: unknown) => console.warn(`The schedule ${schedule.id} could not be updated to this build's: ${describeError(error)}`));
      }
    }
  } finally {
    await connection.close();
  }
}
