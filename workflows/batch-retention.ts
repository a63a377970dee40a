import { log, proxyActivities } from '@temporalio/workflow';
import type { MaintenanceActivities } from '../activities';

const { removeExpiredBatches } = proxyActivities<MaintenanceActivities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 5 },
});

/** Started hourly by the `maintenance/batch-retention` schedule: removes expired batch results. */
export async function batchRetentionWorkflow(): Promise<{ removed: number }> {
  const result = await removeExpiredBatches();
  log.info('expired batch results removed', result);
  return result;
}
