import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '../../config';
import { buildWorker } from '../../worker/build';
import { MALLOC_ARENA_MAX } from '../../worker/malloc-arenas';

/** The production worker (`scripts/worker.ts`, built as worker/build.ts builds it) as a separate process, which a test or the benchmark can measure and kill. */
export interface WorkerProcess {
  readonly pid: number;
  /** When the process was spawned (Date.now()). */
  readonly startedAt: number;
  /** Resolves once the worker polls its task queue (the line `scripts/worker.ts` prints then). */
  readonly ready: Promise<void>;
  /** Peak resident set size so far (VmHWM), in MB; undefined once the process has exited. */
  peakRssMb(): number | undefined;
  /** Starts the peak over from the current RSS (Linux `clear_refs` 5), e.g. once start-up's workflow bundling is done. */
  resetPeakRss(): void;
  /** SIGKILL, no chance to finish anything; resolves when the process has gone. */
  kill(): Promise<void>;
}

const READY_LINE = 'Worker polling task queue';

/** Built once per test process, in its own folder (test files run in parallel), and removed when the process exits. */
let built: Promise<string> | undefined;

function builtWorker(): Promise<string> {
  built ??= (async () => {
    const cache = join(process.cwd(), '.cache');
    mkdirSync(cache, { recursive: true });
    const dir = mkdtempSync(join(cache, 'worker-build-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    return (await buildWorker(dir)).entry;
  })();
  return built;
}

/** The worker as production runs it (worker/build.ts: plain node, no TypeScript loader), built first. */
export async function startWorkerProcess(config: AppConfig, options: { chunkSize?: number } = {}): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [await builtWorker()], {
    env: {
      MALLOC_ARENA_MAX,
      ...process.env,
      DATABASE_URL: config.databaseUrl,
      TEMPORAL_ADDRESS: config.temporal.address,
      TEMPORAL_NAMESPACE: config.temporal.namespace,
      TEMPORAL_TASK_QUEUE: config.temporal.taskQueue,
      SECRETS_KEY: config.secretsKeys.current.toString('hex'),
      CHUNK_SIZE: String(options.chunkSize ?? config.chunkSize),
      ALLOW_LOOPBACK_SOURCES: String(config.allowLoopbackSources),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    let seen = '';
    child.stdout!.on('data', (data: Buffer) => {
      seen = (seen + data.toString()).slice(-4096);
      if (seen.includes(READY_LINE)) resolve();
    });
    const stderr: string[] = [];
    child.stderr!.on('data', (data: Buffer) => stderr.push(data.toString()));
    void exited.then(() => reject(new Error(`the worker process exited before it was ready: ${stderr.join('').slice(-2000)}`)));
  });
  // nobody may be waiting for `ready` when a killed worker's promise rejects
  ready.catch(() => undefined);
  return {
    pid: child.pid!,
    startedAt: Date.now(),
    ready,
    peakRssMb: () => peakRssMb(child),
    resetPeakRss: () => writeFileSync(`/proc/${child.pid}/clear_refs`, '5'),
    async kill() {
      if (child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
      await exited;
    },
  };
}

function peakRssMb(child: ChildProcess): number | undefined {
  try {
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const kb = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    return kb ? Number(kb[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}
