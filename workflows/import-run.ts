import { ActivityCancellationType, ApplicationFailure, CancellationScope, isCancellation, log, proxyActivities, uuid4 } from '@temporalio/workflow';
import type { ImportRunActivities } from '../activities';
import type { ImportRunInput, ImportRunResult } from '../domain/runs';
import { waitForBatchStart } from './batch-start';

const { beginRun, listFiles, claimFile, finishFile, completeRun, afterRun } = proxyActivities<ImportRunActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 6 },
});

// Ending a run must outlast an outage (the database down for hours): retried for a day, then the reaper ends it.
const { failRun, cancelRun } = proxyActivities<ImportRunActivities>({
  startToCloseTimeout: '2 minutes',
  scheduleToCloseTimeout: '24 hours',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

// Downloads can be long: heartbeats (bytes read) tell Temporal the activity is alive.
const { stageFile } = proxyActivities<ImportRunActivities>({
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '2 minutes', maximumAttempts: 6 },
});

// A chunk takes well under a second; its heartbeat lets a lost worker's chunk be retried within 20 s.
// A cancel waits for the chunk in flight, so the run ends after it has committed or rolled back whole.
const { applyChunk } = proxyActivities<ImportRunActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '20 seconds',
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 },
});

/**
 * One run of an import: list → per file: claim, stage, apply in chunks, finish → complete, then the
 * kind's afterRun step when it has one. Holds ids and counts only; every side effect is an activity.
 * Canceled, the run ends `canceled` keeping its committed chunks; failing, it ends `failed`. Both endings
 * run in a non-cancellable scope, so a cancel arriving meanwhile cannot leave the run unfinished.
 */
export async function importRunWorkflow(input: ImportRunInput): Promise<ImportRunResult> {
  const runId = input.runId ?? uuid4();
  if (input.startAt) await waitForBatchStart(runId, input.startAt);
  const { chunkSize } = await beginRun({ ...input, runId });
  let result: ImportRunResult;
  let ended: { afterRun: boolean };
  let filesNotProcessed = 0;
  try {
    const { files } = await listFiles({ runId });
    filesNotProcessed = files.length;
    let rowsRead = 0;
    let rowsApplied = 0;
    for (const [ordinal, file] of files.entries()) {
      const claim = await claimFile({ runId, ordinal, file });
      if (claim.runFileId) {
        const staged = await stageFile({ runFileId: claim.runFileId });
        if (staged.outcome === 'ready') {
          for (let chunkIndex = 0; chunkIndex * chunkSize < staged.rows; chunkIndex++) {
            const counts = await applyChunk({ runFileId: claim.runFileId, chunkIndex, chunkSize });
            rowsRead += counts.rowsRead;
            rowsApplied += counts.rowsApplied;
          }
        }
        await finishFile({ runFileId: claim.runFileId, outcome: staged.outcome });
      }
      filesNotProcessed--;
    }
    ended = await completeRun({ runId });
    log.info('import run completed', { runId, files: files.length, rowsRead, rowsApplied });
    result = { runId, status: 'completed', files: files.length, rowsRead, rowsApplied };
  } catch (error) {
    if (isCancellation(error)) {
      await CancellationScope.nonCancellable(() => cancelRun({ runId, filesNotProcessed }));
      log.info('import run canceled', { runId, filesNotProcessed });
      throw error;
    }
    const failure = failureOf(error);
    const { afterRun: follows } = await CancellationScope.nonCancellable(() => failRun({ runId, code: failure.code, message: failure.message }));
    if (follows) await afterRunKeepingStatus(runId);
    throw ApplicationFailure.nonRetryable(failure.message, failure.code);
  }
  if (ended.afterRun) await afterRunKeepingStatus(runId);
  return result;
}

/** The run's status is final before the kind's afterRun step: a step that fails in the end is logged, not turned into a failed run. */
async function afterRunKeepingStatus(runId: string): Promise<void> {
  try {
    await afterRun({ runId });
  } catch (error) {
    log.warn('the kind\'s after-run step failed', { runId, code: failureOf(error).code });
  }
}

/** Activity failures carry a code as their type and a message without secrets or row data. */
function failureOf(error: unknown): { code: string; message: string } {
  let current: unknown = error;
  while (current && typeof current === 'object') {
    if (current instanceof ApplicationFailure && current.type) return { code: current.type, message: current.message };
    current = (current as { cause?: unknown }).cause;
  }
  return { code: 'INTERNAL', message: 'The run failed unexpectedly; the worker log has the details.' };
}
