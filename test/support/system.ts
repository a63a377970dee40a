import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../../api/app';
import type { ApiDeps } from '../../api/env';
import { createTemporalScheduleManager } from '../../api/import-schedules';
import { createTemporalRunLauncher } from '../../api/run-launcher';
import {
  DEFAULT_BATCH_RETENTION_DAYS,
  DEFAULT_MAIL_FROM,
  DEFAULT_MAX_BYTES_PER_RUN,
  DEFAULT_MAX_CONCURRENT_RUNS_PER_DISTRICT,
  DEFAULT_MAX_FILES_PER_RUN,
  DEFAULT_MAX_ROWS_PER_RUN,
  DEFAULT_MAX_ROW_BYTES,
  DEFAULT_MAX_ROW_FIELDS,
  DEFAULT_RUN_REAPER_GRACE_SECONDS,
  DEFAULT_TASK_QUEUE,
  DEFAULT_WEB_SESSION_IDLE_MINUTES,
  DEFAULT_WEB_SESSION_MAX_HOURS,
  MAX_RATE_LIMIT_PER_MINUTE,
  type ApiConfig,
  type MailSettings,
  type RunCaps,
} from '../../config';
import { createPool, type Db } from '../../db/pool';
import { migrate } from '../../db/migrate';
import { startDatabase } from '../../runtime/database';
import { findFreePort } from '../../runtime/free-port';
import { findTemporalCli } from '../../runtime/temporal-cli';
import { startTemporalDevServer } from '../../runtime/temporal-dev-server';
import { startWorker, type WorkerSlots } from '../../worker/start-worker';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

/** The whole product on real components: Temporal dev server, PostgreSQL, worker, and the API app. */
export interface TestSystem {
  config: ApiConfig;
  db: Db;
  client: Client;
  /** Calls the API in-process (Hono's app.request), as an admin's script would over HTTP. */
  call: CallApi;
  /** The same, answering the Response with its body unread (e.g. to read a streamed body piece by piece). */
  request: RequestApi;
  /** The same API on the same components with some settings changed, e.g. `{ allowLoopbackSources: false }`, or some parts replaced. */
  apiWith(overrides: Partial<ApiConfig>, parts?: Partial<Pick<ApiDeps, 'launcher' | 'schedules'>>): CallApi;
  /** Starts an in-process worker (for a system started with `inProcessWorker: false`), optionally with fewer task slots; stopped with the system unless stopped first. */
  startWorker(slots?: WorkerSlots): Promise<{ stop(): Promise<void> }>;
  /** For a system started with `restartable`: stops the Temporal dev server, waits `downMs`, and starts it again with its state, on the same port. */
  restartTemporal(downMs?: number): Promise<void>;
  /** For a system started with `restartable`: stops PostgreSQL (fast shutdown: sessions end), waits `downMs`, and starts it again on the same data and port. */
  restartDatabase(downMs?: number): Promise<void>;
  stop(): Promise<void>;
}

type CallOptions = {
  /** `key` defaults to the platform admin key; `null` sends no Authorization header. */
  key?: string | null;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
};

export type CallApi = <T = any>(method: string, path: string, options?: CallOptions) => Promise<ApiResponse<T>>;

export type RequestApi = (method: string, path: string, options?: CallOptions) => Promise<Response>;

/**
 * `inProcessWorker: false` leaves the worker to the test (e.g. a worker process it can kill); `mail` e.g. an SMTP sink's settings;
 * `runCaps` the run caps (MAX_FILES_PER_RUN, …) that differ from the defaults; `runReaperGraceSeconds` how old a queued or running run must be before the run reaper looks at it;
 * `restartable` keeps Temporal's state in a file and PostgreSQL's on disk, so a fault test can restart either; it always starts its own
 * PostgreSQL, even with TEST_DATABASE_URL.
 */
export async function startTestSystem(
  options: { chunkSize?: number; runCaps?: Partial<RunCaps>; inProcessWorker?: boolean; mail?: MailSettings; maxConcurrentRunsPerDistrict?: number; runReaperGraceSeconds?: number; restartable?: boolean } = {},
): Promise<TestSystem> {
  const dataDir = mkdtempSync(join(tmpdir(), 'si-system-'));
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((e) => console.error('stop failed', e));
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const cliPath = await findTemporalCli({ install: false });
    const restartable = options.restartable === true;
    const temporalOptions = restartable ? { cliPath, uiPort: null, dbFile: join(dataDir, 'temporal.sqlite'), port: await findFreePort() } : { cliPath, uiPort: null };
    let temporal = await startTemporalDevServer(temporalOptions);
    stops.push(() => temporal.stop());
    // restartable: the cluster's files and port outlive a stop (the data dir is removed with the system)
    const databaseOptions = restartable ? { dataDir, persistent: true, port: await findFreePort() } : { databaseUrl: process.env.TEST_DATABASE_URL, dataDir, persistent: false };
    let database = await startDatabase(databaseOptions);
    stops.push(() => database.stop());
    const mustBeRestartable = (what: string) => {
      if (!restartable) throw new Error(`${what} needs startTestSystem({ restartable: true })`);
    };
    await migrate(database.url);
    const config: ApiConfig = {
      databaseUrl: database.url,
      temporal: { address: temporal.address, namespace: temporal.namespace, taskQueue: DEFAULT_TASK_QUEUE },
      secretsKeys: { current: randomBytes(32) },
      adminApiKey: `admin-${randomBytes(16).toString('hex')}`,
      chunkSize: options.chunkSize ?? 2000,
      runCaps: { maxFiles: DEFAULT_MAX_FILES_PER_RUN, maxBytes: DEFAULT_MAX_BYTES_PER_RUN, maxRows: DEFAULT_MAX_ROWS_PER_RUN, ...options.runCaps },
      maxRowBytes: DEFAULT_MAX_ROW_BYTES,
      maxRowFields: DEFAULT_MAX_ROW_FIELDS,
      allowLoopbackSources: true,
      batchRetentionDays: DEFAULT_BATCH_RETENTION_DAYS,
      runReaperGraceSeconds: options.runReaperGraceSeconds ?? DEFAULT_RUN_REAPER_GRACE_SECONDS,
      mail: options.mail ?? { from: DEFAULT_MAIL_FROM },
      // set-up makes districts, keys and imports faster than any admin would: the rate limit itself is
      // tested with apiWith({ rateLimitPerMinute, rateLimitBurst })
      rateLimitPerMinute: MAX_RATE_LIMIT_PER_MINUTE,
      rateLimitBurst: MAX_RATE_LIMIT_PER_MINUTE,
      maxConcurrentRunsPerDistrict: options.maxConcurrentRunsPerDistrict ?? DEFAULT_MAX_CONCURRENT_RUNS_PER_DISTRICT,
      webSessions: { idleMinutes: DEFAULT_WEB_SESSION_IDLE_MINUTES, maxHours: DEFAULT_WEB_SESSION_MAX_HOURS },
    };
    if (options.inProcessWorker !== false) {
      const worker = await startWorker(config);
      stops.push(() => worker.stop());
    }
    const connection = await Connection.connect({ address: temporal.address });
    stops.push(() => connection.close());
    const client = new Client({ connection, namespace: temporal.namespace });
    const db = createPool(database.url);
    stops.push(() => db.end());
    const deps = {
      db,
      config,
      launcher: createTemporalRunLauncher(client, db, config.temporal.taskQueue),
      schedules: createTemporalScheduleManager(client, config.temporal.taskQueue),
    };

    return {
      config,
      db,
      client,
      call: callApi(createApp(deps), config),
      request: requestApi(createApp(deps), config),
      apiWith: (overrides, parts = {}) => callApi(createApp({ ...deps, ...parts, config: { ...config, ...overrides } }), config),
      async startWorker(slots) {
        const worker = await startWorker(config, slots);
        let stopped: Promise<void> | undefined;
        const stop = () => (stopped ??= worker.stop());
        stops.push(stop);
        return { stop };
      },
      async restartTemporal(downMs = 0) {
        mustBeRestartable('restartTemporal');
        await temporal.stop();
        await sleep(downMs);
        temporal = await startTemporalDevServer(temporalOptions);
      },
      async restartDatabase(downMs = 0) {
        mustBeRestartable('restartDatabase');
        await database.stop();
        await sleep(downMs);
        database = await startDatabase(databaseOptions);
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

function requestApi(app: ReturnType<typeof createApp>, config: ApiConfig): RequestApi {
  return async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...(opts.key === null ? {} : { authorization: `Bearer ${opts.key ?? config.adminApiKey}` }), ...opts.headers };
    let body: string | undefined;
    if (opts.rawBody !== undefined) body = opts.rawBody;
    else if (opts.body !== undefined) body = JSON.stringify(opts.body);
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    return app.request(path, { method, headers, body });
  };
}

function callApi(app: ReturnType<typeof createApp>, config: ApiConfig): CallApi {
  const request = requestApi(app, config);
  return async (method, path, opts = {}) => {
    const res = await request(method, path, opts);
    const text = await res.text();
    let parsed: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
    return { status: res.status, body: parsed as never, text, headers: res.headers };
  };
}

/** Polls GET /api/runs/:id until the run has finished. */
export async function waitForRun(system: TestSystem, key: string, runId: string, timeoutMs = 60_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await system.call('GET', `/api/runs/${runId}`, { key });
    if (res.status !== 200) throw new Error(`GET run ${runId}: ${res.status} ${res.text}`);
    if (res.body.status === 'completed' || res.body.status === 'failed' || res.body.status === 'canceled') return res.body;
    if (Date.now() > deadline) throw new Error(`run ${runId} did not finish in ${timeoutMs} ms: ${res.text}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
