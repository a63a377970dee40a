import type { TestSystem } from '../test/support/system';
import { waitForRun } from '../test/support/system';
import { startWorkerProcess, type WorkerProcess } from '../test/support/worker-process';
import { runResumeBytes } from '../db/queries/staging-resume-points';
import { readRunHistory } from './run-history';
import { isStaging, movedOn, randomKillPoints, reached, type Progress } from './kill-points';

export interface Resume {
  point: string;
  /** From the new worker's spawn to the run's next progress. */
  seconds: number;
  /** A kill in staging: the byte the retried download reads on from (0: the file again). */
  resumedFromByte?: number;
}

export interface RunMeasure {
  run: any;
  wallSeconds: number;
  /** The worker's peak over the run (first worker: from the run request on, start-up excluded). */
  peakRssMb: number;
  /** The first worker's peak while it started (bundling the workflow code), before the run. */
  startupPeakRssMb: number;
  historyEvents: number;
  executions: number;
  /** Seconds per activity type, scheduling to completion, summed over calls (bench/activity-seconds.ts). */
  activitySeconds: Record<string, number>;
  resumes: Resume[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const POLL_MS = 100;

async function progressOf(system: TestSystem, key: string, runId: string): Promise<{ status: string; progress: Progress }> {
  const res = await system.call('GET', `/api/runs/${runId}`, { key });
  if (res.status !== 200) throw new Error(`GET run: ${res.status} ${res.text}`);
  return res.body;
}

const isFinal = (status: string) => status === 'completed' || status === 'failed' || status === 'canceled';
/** Where the run stood when the worker died (a point aimed at staging may be met after staging has ended). */
const describe = (at: Progress, rows: number) =>
  isStaging(at)
    ? `staging, ${at.bytesTotal ? Math.round((at.bytesRead / at.bytesTotal) * 100) : 0}% of the bytes read`
    : `apply, ${Math.round((at.rowsRead / rows) * 100)}% of the rows read`;

/**
 * One real run of the import through the API on a fresh worker process, from the run request to the
 * finished run, its workflow closed; `kills` SIGKILLs the worker at random points, each time starting a new one.
 */
export async function measureRun(system: TestSystem, key: string, importId: string, rows: number, kills = 0): Promise<RunMeasure> {
  let worker: WorkerProcess = await startWorkerProcess(system.config);
  await worker.ready;
  const startupPeakRssMb = worker.peakRssMb() ?? 0;
  worker.resetPeakRss();
  let peakRssMb = 0;
  const resumes: Resume[] = [];
  try {
    const t0 = performance.now();
    const started = await system.call('POST', `/api/imports/${importId}/run`, { key });
    if (started.status !== 202) throw new Error(`starting the run: ${started.status} ${started.text}`);
    const { runId, workflowId } = started.body as { runId: string; workflowId: string };

    for (const point of randomKillPoints(kills)) {
      let now = await progressOf(system, key, runId);
      while (!reached(point, now.progress, rows) && !isFinal(now.status)) {
        await sleep(POLL_MS);
        now = await progressOf(system, key, runId);
      }
      if (isFinal(now.status)) break;
      peakRssMb = Math.max(peakRssMb, worker.peakRssMb() ?? 0);
      await worker.kill();
      const atKill = (await progressOf(system, key, runId)).progress;
      // where the retry will read on from: the resume point committed with the last staged rows
      const resumedFromByte = isStaging(atKill) ? await runResumeBytes(system.db, runId) : undefined;
      worker = await startWorkerProcess(system.config);
      for (;;) {
        now = await progressOf(system, key, runId);
        if (movedOn(atKill, now.progress) || isFinal(now.status)) break;
        await sleep(POLL_MS);
      }
      const seconds = (Date.now() - worker.startedAt) / 1000;
      resumes.push({ point: describe(atKill, rows), seconds, resumedFromByte });
      const from = resumedFromByte === undefined ? '' : `, reading on from byte ${resumedFromByte.toLocaleString('en-US')} of ${atKill.bytesTotal.toLocaleString('en-US')}`;
      console.log(`  killed the worker during ${describe(atKill, rows)}; the new worker moved the run on after ${seconds.toFixed(1)} s${from}`);
    }

    const run = await waitForRun(system, key, runId, 4 * 60 * 60_000);
    const wallSeconds = (performance.now() - t0) / 1000;
    const history = await readRunHistory(system.client, workflowId);
    peakRssMb = Math.max(peakRssMb, worker.peakRssMb() ?? 0);
    return { run, wallSeconds, peakRssMb, startupPeakRssMb, historyEvents: history.events, executions: history.executions, activitySeconds: history.activitySeconds, resumes };
  } finally {
    await worker.kill();
  }
}
