import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Connection } from '@temporalio/client';
import { StartupError, tailForMessage } from './errors';
import { findFreePort } from './free-port';
import { clearStaleProcess, removePidFile, sleep, writePidFile } from './pid-file';
import { ensureSearchAttributes, SEARCH_ATTRIBUTE_NAMES } from './search-attributes';
import { spawnService, type ServiceProcess } from './service-process';

export interface TemporalDevServerOptions {
  cliPath: string;
  /** SQLite file that keeps workflows and schedules across restarts; undefined = in memory. */
  dbFile?: string;
  /** gRPC port; 0 or undefined = a free port. */
  port?: number;
  /** Web UI port; undefined = a free port; null = no UI. */
  uiPort?: number | null;
  namespace?: string;
  /** Receives every line the server prints (it logs warnings and errors only). */
  log?: (line: string) => void;
  readyTimeoutMs?: number;
}

export interface TemporalDevServer {
  /** host:port of the gRPC frontend. */
  address: string;
  uiUrl?: string;
  namespace: string;
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';

/**
 * Task priority is enforced per task-queue partition, so one partition keeps high-priority runs strictly
 * ahead; fairness dispatches each district's tasks in turn (runs carry their district as fairness key).
 * docs/operations.md has the same settings for a Temporal cluster.
 */
export const DEV_SERVER_DYNAMIC_CONFIG: Readonly<Record<string, unknown>> = {
  'matching.numTaskqueueReadPartitions': 1,
  'matching.numTaskqueueWritePartitions': 1,
  'matching.enableFairness': true,
};

function pidFileOf(dbFile: string): string {
  return `${dbFile}.pid`;
}

/**
 * Stops a dev server on `dbFile` whose start script was killed (it would hold the file
 * and its ports); refuses when a live start script still owns it.
 */
export async function stopLeftoverDevServer(dbFile: string): Promise<void> {
  await clearStaleProcess(pidFileOf(dbFile), { name: 'The Temporal dev server', commandContains: 'temporal', stopSignal: 'SIGTERM' });
}

/** How many times a server that exited while starting is started again. */
const START_RETRIES = 2;

/**
 * Runs `temporal server start-dev` and resolves once it serves the namespace with our search attributes.
 * The CLI picks its internal services' ports itself, and now and then picks the frontend's port for one of them
 * ("address already in use", or a panic while it builds the server; seen in the suite and in `npm start`'s own
 * test): a server that exits while starting is started again, on the given ports or on ports found afresh.
 */
export async function startTemporalDevServer(options: TemporalDevServerOptions): Promise<TemporalDevServer> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await startOnce(options);
    } catch (error) {
      if (!(error instanceof StartupError && /exited while starting/.test(error.message)) || attempt >= START_RETRIES) throw error;
    }
  }
}

async function startOnce(options: TemporalDevServerOptions): Promise<TemporalDevServer> {
  const namespace = options.namespace ?? 'default';
  const pidFile = options.dbFile ? pidFileOf(options.dbFile) : undefined;
  if (options.dbFile) await stopLeftoverDevServer(options.dbFile);

  const port = options.port || (await findFreePort(HOST));
  const uiPort = options.uiPort === null ? null : options.uiPort || (await findFreePort(HOST));
  const address = `${HOST}:${port}`;
  const uiUrl = uiPort === null ? undefined : `http://${HOST}:${uiPort}`;

  const args = ['server', 'start-dev', '--ip', HOST, '--port', String(port)];
  if (options.dbFile) {
    await mkdir(dirname(options.dbFile), { recursive: true });
    args.push('--db-filename', options.dbFile);
  }
  args.push(...(uiPort === null ? ['--headless'] : ['--ui-port', String(uiPort), '--ui-disable-news-fetch']));
  // HTTP API and metrics ports are left to the CLI, which picks free ones, so servers can run side by side.
  args.push('--namespace', namespace);
  for (const name of SEARCH_ATTRIBUTE_NAMES) args.push('--search-attribute', `${name}=Keyword`);
  // values are JSON
  for (const [key, value] of Object.entries(DEV_SERVER_DYNAMIC_CONFIG)) args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  args.push('--log-level', 'warn', '--color', 'never');

  const server = await spawnService({
    name: 'the Temporal dev server',
    command: options.cliPath,
    args,
    stopSignal: 'SIGTERM',
    log: options.log,
  });
  if (pidFile) await writePidFile(pidFile, server.pid);

  const stop = async (): Promise<void> => {
    await server.stop(10_000);
    if (pidFile) await removePidFile(pidFile);
  };

  try {
    await waitUntilReady(server, address, namespace, uiUrl, options.readyTimeoutMs ?? 30_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { address, uiUrl, namespace, stop };
}

async function waitUntilReady(
  server: ServiceProcess,
  address: string,
  namespace: string,
  uiUrl: string | undefined,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  const notUp = (what: string): StartupError =>
    new StartupError(`The Temporal dev server ${what}.${tailForMessage(server.lastLines())}`, { cause: lastError });

  while (true) {
    if (server.hasExited()) {
      const { code, signal } = await server.exited;
      throw notUp(`exited while starting (code ${code ?? '-'}, signal ${signal ?? '-'})`);
    }
    if (Date.now() > deadline) throw notUp(`was not ready at ${address} within ${timeoutMs / 1000} s`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 2_000 });
      try {
        await connection.workflowService.describeNamespace({ namespace });
        await ensureSearchAttributes(connection, namespace);
      } finally {
        await connection.close();
      }
      break;
    } catch (error) {
      lastError = error;
      await sleep(250);
    }
  }

  while (uiUrl) {
    if (server.hasExited()) throw notUp('exited while its Web UI was starting');
    if (Date.now() > deadline) throw notUp(`did not serve its Web UI at ${uiUrl} within ${timeoutMs / 1000} s`);
    try {
      const response = await fetch(uiUrl, { signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      break;
    } catch (error) {
      lastError = error;
      await sleep(250);
    }
  }
}
