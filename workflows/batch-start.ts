import { CancellationScope, isCancellation, proxyActivities, sleep } from '@temporalio/workflow';
import type { ImportRunActivities } from '../activities';

// No attempt limit: while another real run holds the import, the batch waits for it, checking at most
// once a minute. Retries of one activity add no events to the history, however long the wait.
const { startBatchRun } = proxyActivities<ImportRunActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

const { cancelBatchRun } = proxyActivities<ImportRunActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * A batch submission waits on a durable Temporal timer until its start time (a worker or Temporal restart
 * meanwhile changes nothing), then takes its import. Canceled before the run begins, the run ends
 * `canceled` having read and applied nothing.
 */
export async function waitForBatchStart(runId: string, startAt: string): Promise<void> {
  try {
    const wait = Date.parse(startAt) - Date.now();
    if (wait > 0) await sleep(wait);
    await startBatchRun({ runId });
  } catch (error) {
    if (isCancellation(error)) await CancellationScope.nonCancellable(() => cancelBatchRun({ runId }));
    throw error;
  }
}
