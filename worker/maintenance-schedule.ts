import { Client, Connection, ScheduleAlreadyRunning, ScheduleOverlapPolicy, type ScheduleOptions } from '@temporalio/client';
import type { AppConfig } from '../config';
import { batchRetentionWorkflow } from '../workflows';
import { temporalConnectionOptions } from './temporal-connection';

export const BATCH_RETENTION_SCHEDULE_ID = 'maintenance/batch-retention';

function retentionSchedule(taskQueue: string): Omit<ScheduleOptions, 'scheduleId'> {
  return {
    spec: { intervals: [{ every: '1 hour' }] },
    action: { type: 'startWorkflow', workflowType: batchRetentionWorkflow, taskQueue, workflowId: `${BATCH_RETENTION_SCHEDULE_ID}/run`, args: [] },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
    state: { note: 'Removes finished batch submissions older than BATCH_RETENTION_DAYS, except those kept until deleted.' },
  };
}

/**
 * Creates the maintenance schedule, or brings an existing one in step with this code; every worker does
 * it when it starts. A failure is only logged: imports still run, and the next worker start tries again.
 */
export async function ensureMaintenanceSchedule(config: AppConfig): Promise<void> {
  const connection = await Connection.connect(await temporalConnectionOptions(config));
  try {
    const client = new Client({ connection, namespace: config.temporal.namespace });
    const options = retentionSchedule(config.temporal.taskQueue);
    try {
      await client.schedule.create({ scheduleId: BATCH_RETENTION_SCHEDULE_ID, ...options });
    } catch (error) {
      if (!(error instanceof ScheduleAlreadyRunning)) throw error;
      // an operator's pause (and note) stays
      await client.schedule.getHandle(BATCH_RETENTION_SCHEDULE_ID).update((old) => ({ ...old, spec: options.spec, action: options.action, policies: options.policies }));
    }
  } catch (error) {
    console.warn(`The schedule ${BATCH_RETENTION_SCHEDULE_ID} could not be created or updated, so expired batch results stay until a worker start succeeds: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await connection.close();
  }
}
