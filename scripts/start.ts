/**
 * `npm start`: the whole system on one machine. Starts (or uses) Temporal and
 * PostgreSQL, migrates, runs the worker and the API, prints where everything is, and
 * stops it all in order on Ctrl-C.
 */
import { join } from 'node:path';
import { deprecatedSettings, loadApiConfig, loadApiListenSettings } from '../config';
import { migrate } from '../db/migrate';
import { serveApi } from '../api/serve';
import { startWorker } from '../worker/start-worker';
import { ensureDataDir, resolveDataDir } from '../runtime/data-dir';
import { startDatabase, type Database } from '../runtime/database';
import { describeError } from '../runtime/describe-error';
import { StartupError } from '../runtime/errors';
import { preferPort } from '../runtime/free-port';
import { redactUrl } from '../runtime/redact-url';
import { Shutdown } from '../runtime/shutdown';
import { fillSecretDefaults, portFromEnv } from '../runtime/start-defaults';
import { findTemporalCli } from '../runtime/temporal-cli';
import { startTemporalDevServer, stopLeftoverDevServer } from '../runtime/temporal-dev-server';

const say = (line: string): void => console.log(line);
const shutdown = new Shutdown(['API', 'worker', 'Temporal', 'PostgreSQL'], say);
let exiting = false;
let stopRequestedAt = 0;

async function stopAndExit(code: number): Promise<never> {
  if (exiting) return new Promise<never>(() => undefined);
  exiting = true;
  const errors = await shutdown.run();
  process.exit(errors.length && code === 0 ? 1 : code);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    // A terminal's Ctrl-C often arrives twice (from the terminal and relayed by tsx).
    if (exiting) {
      if (Date.now() - stopRequestedAt > 2_000) say('Still stopping; each part gets a time limit.');
      return;
    }
    stopRequestedAt = Date.now();
    say(`\n${signal === 'SIGINT' ? 'Ctrl-C' : signal}: stopping.`);
    void stopAndExit(0);
  });
}

interface TemporalInfo {
  address: string;
  namespace: string;
  uiUrl?: string;
  where: string;
}

async function startTemporal(env: NodeJS.ProcessEnv, dataDir: string): Promise<TemporalInfo> {
  const namespace = env.TEMPORAL_NAMESPACE || 'default';
  if (env.TEMPORAL_ADDRESS) return { address: env.TEMPORAL_ADDRESS, namespace, uiUrl: env.TEMPORAL_UI_URL, where: 'your server (TEMPORAL_ADDRESS)' };
  const cliPath = await findTemporalCli({ install: true, log: say });
  const dbFile = join(dataDir, 'temporal.db');
  // Before looking at ports: a server left by a killed start still holds 7233.
  await stopLeftoverDevServer(dbFile);
  const server = await startTemporalDevServer({
    cliPath,
    dbFile,
    port: portFromEnv(env, 'TEMPORAL_PORT') ?? (await preferPort(7233)),
    uiPort: portFromEnv(env, 'TEMPORAL_UI_PORT') ?? (await preferPort(8233)),
    namespace,
    log: (line) => {
      if (/level=(ERROR|FATAL)/.test(line) && !exiting) console.error(`[temporal] ${line}`);
    },
  });
  shutdown.register('Temporal', server.stop);
  return { address: server.address, namespace, uiUrl: server.uiUrl, where: `dev server, data in ${dbFile}` };
}

async function startPostgres(env: NodeJS.ProcessEnv, dataDir: string): Promise<Database> {
  const database = await startDatabase({
    databaseUrl: env.DATABASE_URL,
    dataDir,
    port: portFromEnv(env, 'EMBEDDED_POSTGRES_PORT'),
    persistent: true,
    log: (line) => {
      if (!exiting) console.error(`[postgres] ${line}`);
    },
  });
  if (database.embedded) shutdown.register('PostgreSQL', database.stop);
  return database;
}

/** Both at once (each takes a second or two); if one fails, the other is still stopped. */
async function startBackends(env: NodeJS.ProcessEnv, dataDir: string): Promise<[TemporalInfo, Database]> {
  const [temporal, database] = await Promise.allSettled([startTemporal(env, dataDir), startPostgres(env, dataDir)]);
  if (temporal.status === 'rejected') throw temporal.reason;
  if (database.status === 'rejected') throw database.reason;
  return [temporal.value, database.value];
}

/** Names the step in the error, so the one message says what failed, then why. */
async function step<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw new StartupError(`${what} failed.`, { cause: error });
  }
}

async function main(): Promise<void> {
  const env = process.env;
  for (const note of deprecatedSettings(env)) say(note);
  const listen = loadApiListenSettings(env);
  const dataDir = await ensureDataDir(resolveDataDir(env));
  say(`Starting Scheduled Imports (data in ${dataDir})…`);

  const [temporal, database] = await startBackends(env, dataDir);
  env.TEMPORAL_ADDRESS = temporal.address;
  env.TEMPORAL_NAMESPACE = temporal.namespace;
  if (temporal.uiUrl && !env.TEMPORAL_UI_URL) env.TEMPORAL_UI_URL = temporal.uiUrl;
  env.DATABASE_URL = database.url;
  const filled = await fillSecretDefaults(env, dataDir);
  // On one machine the file servers an admin tries first are often local ones.
  env.ALLOW_LOOPBACK_SOURCES ??= 'true';
  const config = loadApiConfig(env);

  const applied = await step(`Migrating the database (${redactUrl(config.databaseUrl)})`, () => migrate(config.databaseUrl));
  if (applied.length) say(`Applied ${applied.length} database migration(s).`);

  const worker = await step('Starting the worker', () => startWorker(config));
  shutdown.register('worker', worker.stop);

  const port = portFromEnv(env, 'PORT') ?? (await preferPort(3000));
  const api = await step(`Starting the API on port ${port}`, () => serveApi(config, { ...listen, port }));
  shutdown.register('API', api.stop);

  const keyNote = filled.adminKeyFile ? ` (kept in ${join(dataDir, filled.adminKeyFile)})` : ' (from ADMIN_API_KEY)';
  const databaseLine = database.embedded
    ? `embedded, data in ${database.pgdata}; ${redactUrl(database.url)} (password in ${join(dataDir, 'postgres-password')})`
    : redactUrl(database.url);
  say(
    [
      '',
      'Scheduled Imports is running.',
      '',
      `  API           ${api.url}`,
      `  OpenAPI       ${api.url}/api/openapi.json`,
      `  Web page      ${api.url}/ui/ (sign in with a district's API key)`,
      `  Temporal      ${temporal.address}, namespace ${temporal.namespace} (${temporal.where})`,
      `  Temporal UI   ${temporal.uiUrl ?? '(not known: set TEMPORAL_UI_URL)'}`,
      `  PostgreSQL    ${databaseLine}`,
      `  Admin key     ${config.adminApiKey}${keyNote}`,
      '',
      `  Try: curl -s -X POST ${api.url}/api/districts -H "Authorization: Bearer ${config.adminApiKey}" -H "Content-Type: application/json" -d '{"name":"Demo District","timeZone":"America/Chicago"}'`,
      '',
      'Press Ctrl-C to stop.',
    ].join('\n'),
  );
}

main().catch(async (error: unknown) => {
  if (exiting) return;
  console.error(`\nCould not start Scheduled Imports: ${describeError(error)}`);
  await stopAndExit(1);
});
