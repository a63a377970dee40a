import { log, proxyActivities } from '@temporalio/workflow';
import type { MaintenanceActivities } from '../activities';

const { reapRuns } = proxyActivities<MaintenanceActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 3 },
});

/** Started every minute by the `maintenance/run-reaper` schedule: ends runs whose workflows are gone, cleans finished runs' leftovers. */
export async function runReaperWorkflow(): Promise<{ ended: number; cleaned: number }> {
  const result = await reapRuns();
  if (result.ended > 0 || result.cleaned > 0) log.info('run reaper pass', result);
  return result;
}
