import { ActivityCancellationType, ApplicationFailure, CancellationScope, isCancellation, log, makeContinueAsNewFunc, proxyActivities, uuid4, workflowInfo } from '@temporalio/workflow';
import type { ImportRunActivities } from '../activities';
import type { ImportRunInput, ImportRunResult, RunPosition } from '../domain/runs';
import { chunkRowsFor } from '../domain/chunk-rows';
import { HEARTBEAT_TIMEOUT_MS } from '../domain/heartbeats';
import { waitForBatchStart } from './batch-start';

/** Files one workflow execution takes before it continues as new, so its history stays a few thousand events. */
export const FILES_PER_EXECUTION = 100;

const { beginRun, listFiles, claimFile, finishFile, deferFiles, stopChunks, completeRun, afterRun } = proxyActivities<ImportRunActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 6 },
});

// Ending a run must outlast an outage (the database down for hours): retried for a day, then the reaper ends it.
const { failRun, cancelRun } = proxyActivities<ImportRunActivities>({
  startToCloseTimeout: '2 minutes',
  scheduleToCloseTimeout: '24 hours',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

// Downloads can be long: heartbeats (bytes read, every second while bytes come) tell Temporal the activity is alive,
// and their absence for a few seconds that its worker was lost, or for DOWNLOAD_STALL_MS more that the download
// stalled; another attempt then reads on from the last resume point. Its seven retries span about two minutes.
const { stageFile } = proxyActivities<ImportRunActivities>({
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: HEARTBEAT_TIMEOUT_MS,
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '2 minutes', maximumAttempts: 8 },
});

// One call applies chunks for about 25 s, heartbeating every second, so a lost worker's work is retried within
// seconds. A cancel waits for the chunk in flight, so the run ends after it has committed or rolled back whole.
// Retries back off gently (a worker killed again soon after is retried after 1.5, 2.3, 3.4 s, …) and span about
// five minutes in all, for a database that is down for a while.
const { applyChunks } = proxyActivities<ImportRunActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: HEARTBEAT_TIMEOUT_MS,
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  retry: { initialInterval: '1 second', backoffCoefficient: 1.5, maximumInterval: '1 minute', maximumAttempts: 14 },
});

/**
 * One run of an import: list → per file: claim, stage, apply chunks, finish → complete, then the kind's
 * afterRun step when it has one. Holds ids and counts only; every side effect is an activity. After
 * FILES_PER_EXECUTION files (or when Temporal suggests it) it continues as new with the run's position, so its
 * history stays bounded whatever the number of files. Canceled, the run ends `canceled` keeping its committed
 * chunks; failing, it ends `failed`. Both endings run in a non-cancellable scope, so a cancel arriving
 * meanwhile cannot leave the run unfinished.
 */
export async function importRunWorkflow(input: ImportRunInput): Promise<ImportRunResult> {
  const runId = input.continued?.runId ?? input.runId ?? uuid4();
  let chunkSize = input.continued?.chunkSize ?? 0;
  if (!input.continued) {
    if (input.startAt) await waitForBatchStart(runId, input.startAt);
    ({ chunkSize } = await beginRun({ ...input, runId }));
  }
  let position: RunPosition | undefined = input.continued;
  let result: ImportRunResult;
  let ended: { afterRun: boolean };
  let continued: RunPosition | undefined;
  try {
    if (!position) {
      const listing = await listFiles({ runId });
      position = { runId, chunkSize, files: listing.files, filesWaiting: listing.filesWaiting, nextOrdinal: 0, rowsRead: 0, rowsApplied: 0, rowBudget: listing.rowBudget };
    }
    continued = await takeFiles(position);
    if (!continued) {
      ended = await completeRun({ runId });
      log.info('import run completed', { runId, files: position.files, rowsRead: position.rowsRead, rowsApplied: position.rowsApplied });
      result = { runId, status: 'completed', files: position.files, rowsRead: position.rowsRead, rowsApplied: position.rowsApplied };
    }
  } catch (error) {
    if (isCancellation(error)) {
      const filesNotProcessed = position ? position.files - position.nextOrdinal : 0;
      await CancellationScope.nonCancellable(() => cancelRun({ runId, filesNotProcessed }));
      log.info('import run canceled', { runId, filesNotProcessed });
      throw error;
    }
    const failure = failureOf(error);
    const { afterRun: follows } = await CancellationScope.nonCancellable(() => failRun({ runId, code: failure.code, message: failure.message }));
    if (follows) await afterRunKeepingStatus(runId);
    throw ApplicationFailure.nonRetryable(failure.message, failure.code);
  }
  if (continued) {
    // the next execution keeps the run's search attributes (district, import, mode) for the Web UI's and API's queries
    const next = makeContinueAsNewFunc<typeof importRunWorkflow>({ typedSearchAttributes: workflowInfo().typedSearchAttributes });
    return next({ runId, importId: input.importId, mode: input.mode, trigger: input.trigger, continued });
  }
  if (ended!.afterRun) await afterRunKeepingStatus(runId);
  return result!;
}

/**
 * Takes the listed files from `position.nextOrdinal` on, updating the position as each ends. Answers the position to
 * continue as new from when this execution has taken enough files, or undefined when the listing is done. Once the
 * row budget is spent, the files not taken are left for the next run.
 */
async function takeFiles(position: RunPosition): Promise<RunPosition | undefined> {
  const { runId, chunkSize } = position;
  const firstOrdinal = position.nextOrdinal;
  // applyChunks hears of a cancel only with a heartbeat's reply, throttled to seconds: tell it through the database too
  CancellationScope.current().cancelRequested.catch(() => CancellationScope.nonCancellable(() => stopChunks({ runId })).catch(() => undefined));
  while (position.nextOrdinal < position.files) {
    if (position.nextOrdinal - firstOrdinal >= FILES_PER_EXECUTION || workflowInfo().continueAsNewSuggested) return position;
    if (position.rowBudget <= 0) {
      await deferFiles({ runId, fromOrdinal: position.nextOrdinal, files: position.files, alsoWaiting: position.filesWaiting });
      position.files = position.nextOrdinal;
      return undefined;
    }
    const claim = await claimFile({ runId, ordinal: position.nextOrdinal });
    if (claim.runFileId) {
      const staged = await stageFile({ runFileId: claim.runFileId, rowBudget: position.rowBudget });
      position.rowBudget -= staged.rows;
      if (staged.outcome === 'ready') {
        // a file of long rows gets smaller chunks, so one chunk's rows fit in the worker's memory
        const fileChunkSize = chunkRowsFor(chunkSize, staged.longestRowChars);
        let chunk = 0;
        while (chunk * fileChunkSize < staged.rows) {
          const applied = await applyChunks({ runFileId: claim.runFileId, fromChunk: chunk, chunkSize: fileChunkSize, rows: staged.rows });
          chunk = applied.nextChunk;
          position.rowsRead += applied.rowsRead;
          position.rowsApplied += applied.rowsApplied;
        }
      }
      await finishFile({ runFileId: claim.runFileId, outcome: staged.outcome });
    }
    position.nextOrdinal++;
  }
  return undefined;
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
