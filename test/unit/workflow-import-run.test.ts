import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { ApplicationFailure } from '@temporalio/common';
import { CancelledFailure, WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { Runtime, DefaultLogger, Worker } from '@temporalio/worker';
import type { Activities } from '../../activities';
import type { ImportRunInput } from '../../domain/runs';
import { findTemporalCli } from '../../runtime/temporal-cli';
import { CHUNK_TEXT_BUDGET } from '../../domain/chunk-rows';
import { importRunWorkflow } from '../../workflows';
import { FILES_PER_EXECUTION } from '../../workflows/import-run';

const require = createRequire(import.meta.url);

type Calls = { name: string; args: unknown }[];

/** Activities that record their calls; each test overrides what it needs. Workflow tests only: real ones run in the integration tests. */
function fakeActivities(calls: Calls, overrides: Partial<Record<keyof Activities, (...args: any[]) => Promise<unknown>>>) {
  const base: Record<string, (...args: any[]) => Promise<unknown>> = {
    beginRun: async () => ({ chunkSize: 2 }),
    listFiles: async () => ({ files: 1, filesWaiting: 0, rowBudget: 1_000_000 }),
    claimFile: async ({ ordinal }: { ordinal: number }) => ({ runFileId: `file-${ordinal}` }),
    stageFile: async () => ({ outcome: 'ready', rows: 5 }),
    // one chunk a call, so each call is seen
    applyChunks: async ({ fromChunk }: { fromChunk: number }) => ({ rowsRead: 2, rowsApplied: 1, nextChunk: fromChunk + 1 }),
    finishFile: async () => undefined,
    deferFiles: async () => undefined,
    stopChunks: async () => undefined,
    completeRun: async () => ({ afterRun: false }),
    failRun: async () => ({ afterRun: false }),
    cancelRun: async () => undefined,
    afterRun: async () => undefined,
    testConnection: async () => ({ ok: true, latencyMs: 1, files: [], fingerprint: null }),
  };
  const merged = { ...base, ...overrides };
  return Object.fromEntries(
    Object.entries(merged).map(([name, fn]) => [
      name,
      async (...args: unknown[]) => {
        calls.push({ name, args: args[0] });
        return fn(...args);
      },
    ]),
  );
}

describe('importRunWorkflow (mocked activities)', () => {
  let env: TestWorkflowEnvironment;

  before(async () => {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    const path = await findTemporalCli({ install: false });
    env = await TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'existing-path', path } } });
  });
  after(() => env?.teardown());

  /** Runs the workflow to its end; `meanwhile` gets its handle once it has started (e.g. to cancel it). */
  async function run(
    overrides: Parameters<typeof fakeActivities>[1],
    input: ImportRunInput = { runId: 'run-1', importId: 'imp-1', mode: 'run', trigger: 'manual' },
    meanwhile?: (handle: WorkflowHandle) => Promise<void>,
  ) {
    const calls: Calls = [];
    const taskQueue = `test-${randomUUID()}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: require.resolve('../../workflows/index.ts'),
      activities: fakeActivities(calls, overrides),
    });
    const outcome = await worker.runUntil(async () => {
      const handle = await env.client.workflow.start(importRunWorkflow, { taskQueue, workflowId: `wf-${randomUUID()}`, args: [input] });
      await meanwhile?.(handle);
      return handle.result().then((value) => ({ value, error: undefined, handle }), (error: unknown) => ({ value: undefined, error, handle }));
    });
    return { calls, ...outcome };
  }

  /** A promise and its resolve, for an activity the test holds until it lets it go. */
  function gate() {
    let open = () => {};
    const opened = new Promise<void>((resolve) => (open = resolve));
    return { open, opened };
  }
  const until = async (check: () => boolean) => {
    while (!check()) await new Promise((resolve) => setTimeout(resolve, 20));
  };

  it('stages each claimed file, applies it in chunks of the configured size, then completes', async () => {
    const { calls, value, error } = await run({
      listFiles: async () => ({ files: 2, filesWaiting: 0, rowBudget: 1_000_000 }),
      claimFile: async ({ ordinal }: { ordinal: number }) => ({ runFileId: ordinal === 0 ? 'file-0' : null }),
    });
    assert.equal(error, undefined);
    assert.deepEqual(
      calls.map((c) => c.name),
      ['beginRun', 'listFiles', 'claimFile', 'stageFile', 'applyChunks', 'applyChunks', 'applyChunks', 'finishFile', 'claimFile', 'completeRun'],
    );
    assert.deepEqual(
      calls.filter((c) => c.name === 'applyChunks').map((c) => (c.args as { fromChunk: number }).fromChunk),
      [0, 1, 2],
    );
    assert.deepEqual(value, { runId: 'run-1', status: 'completed', files: 2, rowsRead: 6, rowsApplied: 3 });
  });

  it('gives a file of long rows smaller chunks, as chunkRowsFor says', async () => {
    // beginRun's chunk size is 2; a row as long as the whole budget leaves one row a chunk
    const { calls } = await run({ stageFile: async () => ({ outcome: 'ready', rows: 5, longestRowChars: CHUNK_TEXT_BUDGET }) });
    const applied = calls.filter((c) => c.name === 'applyChunks').map((c) => c.args as { fromChunk: number; chunkSize: number });
    assert.deepEqual(applied.map((a) => [a.fromChunk, a.chunkSize]), [[0, 1], [1, 1], [2, 1], [3, 1], [4, 1]]);
  });

  it('applies no chunk for a duplicate file but still finishes it (rename)', async () => {
    const { calls } = await run({ stageFile: async () => ({ outcome: 'duplicate', rows: 0 }) });
    assert.equal(calls.filter((c) => c.name === 'applyChunks').length, 0);
    assert.deepEqual(calls.find((c) => c.name === 'finishFile')?.args, { runFileId: 'file-0', outcome: 'duplicate' });
  });

  it('continues as new after FILES_PER_EXECUTION files, carrying the run\'s position, and lists and begins only once', async () => {
    const files = FILES_PER_EXECUTION + 5;
    const { calls, value, error, handle } = await run({ listFiles: async () => ({ files, filesWaiting: 0, rowBudget: 1_000_000 }) });
    assert.equal(error, undefined);
    assert.equal(calls.filter((c) => c.name === 'beginRun' || c.name === 'listFiles').length, 2);
    assert.deepEqual(
      calls.filter((c) => c.name === 'claimFile').map((c) => (c.args as { ordinal: number }).ordinal),
      Array.from({ length: files }, (_, i) => i),
    );
    assert.deepEqual(value, { runId: 'run-1', status: 'completed', files, rowsRead: files * 6, rowsApplied: files * 3 });
    const first = await env.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId).fetchHistory();
    assert.equal(first.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes != null, true, 'the first execution continued as new');
  });

  it('once the row budget is spent, the files not taken are deferred to the next run', async () => {
    const { calls, error } = await run({
      listFiles: async () => ({ files: 3, filesWaiting: 2, rowBudget: 6 }),
      stageFile: async ({ rowBudget }: { rowBudget: number }) => ({ outcome: 'ready', rows: Math.min(4, rowBudget) }),
    });
    assert.equal(error, undefined);
    assert.deepEqual(calls.filter((c) => c.name === 'stageFile').map((c) => (c.args as { rowBudget: number }).rowBudget), [6, 2]);
    assert.deepEqual(calls.find((c) => c.name === 'deferFiles')?.args, { runId: 'run-1', fromOrdinal: 2, files: 3, alsoWaiting: 2 });
    assert.equal(calls.filter((c) => c.name === 'claimFile').length, 2);
    assert.equal(calls.at(-1)?.name, 'completeRun');
  });

  it('retries a chunk whose attempt failed, and goes on', async () => {
    let attempts = 0;
    const { calls, error } = await run({
      stageFile: async () => ({ outcome: 'ready', rows: 1 }),
      applyChunks: async () => {
        attempts++;
        if (attempts === 1) throw ApplicationFailure.retryable('database went away', 'INTERNAL');
        return { rowsRead: 1, rowsApplied: 1, nextChunk: 1 };
      },
    });
    assert.equal(error, undefined);
    assert.equal(attempts, 2);
    assert.equal(calls.at(-1)?.name, 'completeRun');
  });

  it('a non-retryable connection failure fails the run once, with its code', async () => {
    let listings = 0;
    const { calls, error } = await run({
      listFiles: async () => {
        listings++;
        throw ApplicationFailure.nonRetryable('SFTP files.example.org:22, directory X: the server rejected the user name or password/key.', 'AUTH_FAILED');
      },
    });
    assert.equal(listings, 1, 'a wrong password is never retried');
    assert.ok(error instanceof WorkflowFailedError);
    assert.equal((error.cause as ApplicationFailure).type, 'AUTH_FAILED');
    const failed = calls.find((c) => c.name === 'failRun');
    assert.deepEqual(failed?.args, { runId: 'run-1', code: 'AUTH_FAILED', message: 'SFTP files.example.org:22, directory X: the server rejected the user name or password/key.' });
    assert.equal(calls.some((c) => c.name === 'completeRun'), false);
  });

  it('a network failure is retried with backoff, then fails the run with the same code', async () => {
    const attempts: number[] = [];
    const { calls, error } = await run({
      listFiles: async () => {
        attempts.push(Date.now());
        throw ApplicationFailure.retryable('SFTP files.example.org:22, directory X: the server refused the connection.', 'CONNECTION_REFUSED');
      },
    });
    assert.equal(attempts.length, 6, 'six attempts');
    const gaps = attempts.slice(1).map((t, i) => t - attempts[i]!);
    assert.ok(gaps.every((gap, i) => i === 0 || gap > gaps[i - 1]!), `backoff grows: ${gaps.join(', ')} ms`);
    assert.ok(error instanceof WorkflowFailedError);
    assert.equal((error.cause as ApplicationFailure).type, 'CONNECTION_REFUSED');
    assert.equal((calls.find((c) => c.name === 'failRun')?.args as { code: string }).code, 'CONNECTION_REFUSED');
  });

  it('a schedule-started run (no runId) gets a run id from the workflow', async () => {
    const { calls, value } = await run({}, { importId: 'imp-1', mode: 'run', trigger: 'schedule' });
    const begin = calls[0]!.args as { runId: string; trigger: string };
    assert.match(begin.runId, /^[0-9a-f-]{36}$/);
    assert.equal(begin.trigger, 'schedule');
    assert.equal((value as { runId: string }).runId, begin.runId);
  });

  it('the kind\'s after-run step follows a completed run when completeRun says it has one', async () => {
    const { calls, error } = await run({ completeRun: async () => ({ afterRun: true }) });
    assert.equal(error, undefined);
    assert.deepEqual(calls.slice(-2).map((c) => [c.name, c.args]), [
      ['completeRun', { runId: 'run-1' }],
      ['afterRun', { runId: 'run-1' }],
    ]);
  });

  it('the kind\'s after-run step follows a failed run too, and the run still fails with its own code', async () => {
    const { calls, error } = await run({
      listFiles: async () => {
        throw ApplicationFailure.nonRetryable('SFTP files.example.org:22, directory X: the directory does not exist.', 'DIRECTORY_NOT_FOUND');
      },
      failRun: async () => ({ afterRun: true }),
    });
    assert.deepEqual(calls.slice(-2).map((c) => c.name), ['failRun', 'afterRun']);
    assert.ok(error instanceof WorkflowFailedError);
    assert.equal((error.cause as ApplicationFailure).type, 'DIRECTORY_NOT_FOUND');
  });

  it('an after-run step that fails leaves the completed run completed', async () => {
    const { calls, value, error } = await run({
      completeRun: async () => ({ afterRun: true }),
      afterRun: async () => {
        throw ApplicationFailure.nonRetryable('SMTP refused the message.', 'MAIL_FAILED');
      },
    });
    assert.equal(error, undefined);
    assert.equal((value as { status: string }).status, 'completed');
    assert.equal(calls.some((c) => c.name === 'failRun'), false);
  });

  it('canceled while a chunk is applied, it lets that chunk finish, applies no more and ends the run canceled', async () => {
    const chunk = gate();
    let chunksStarted = 0;
    let chunkDone = false;
    let canceledAfterChunk: boolean | undefined;
    const { calls, error } = await run(
      {
        applyChunks: async () => {
          chunksStarted++;
          await chunk.opened;
          chunkDone = true;
          return { rowsRead: 2, rowsApplied: 2, nextChunk: 1 };
        },
        cancelRun: async () => {
          canceledAfterChunk = chunkDone;
        },
      },
      undefined,
      async (handle) => {
        await until(() => chunksStarted === 1);
        await handle.cancel();
        // the cancel reaches the workflow while the chunk is still in flight
        await new Promise((resolve) => setTimeout(resolve, 500));
        chunk.open();
      },
    );
    assert.ok(error instanceof WorkflowFailedError && error.cause instanceof CancelledFailure, String(error));
    assert.equal(chunksStarted, 1);
    assert.equal(canceledAfterChunk, true, 'the run ends once the chunk in flight has finished');
    assert.deepEqual(calls.slice(-3).map((c) => [c.name, c.args]), [
      ['applyChunks', { runFileId: 'file-0', fromChunk: 0, chunkSize: 2, rows: 5 }],
      ['stopChunks', { runId: 'run-1' }],
      ['cancelRun', { runId: 'run-1', filesNotProcessed: 1 }],
    ]);
    assert.equal(calls.some((c) => c.name === 'failRun' || c.name === 'completeRun' || c.name === 'finishFile'), false);
  });

  it('failRun goes on, retried, when the workflow is canceled while the run is failing', async () => {
    const failing = gate();
    let failRuns = 0;
    const { error } = await run(
      {
        listFiles: async () => {
          throw ApplicationFailure.nonRetryable('SFTP files.example.org:22, directory X: the directory does not exist.', 'DIRECTORY_NOT_FOUND');
        },
        failRun: async () => {
          failRuns++;
          if (failRuns > 1) return { afterRun: false };
          await failing.opened;
          throw ApplicationFailure.retryable('the database went away', 'INTERNAL');
        },
      },
      undefined,
      async (handle) => {
        await until(() => failRuns === 1);
        await handle.cancel();
        await new Promise((resolve) => setTimeout(resolve, 500));
        failing.open();
      },
    );
    assert.equal(failRuns, 2, 'the cancel did not stop the failing run from being recorded');
    assert.ok(error instanceof WorkflowFailedError);
    assert.equal((error.cause as ApplicationFailure).type, 'DIRECTORY_NOT_FOUND');
  });
});
