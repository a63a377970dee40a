import { chmod, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { ensureDataDir, generateToken, loadOrCreateSecret } from './data-dir';
import { startEmbeddedPostgres } from './embedded-postgres';
import { StartupError } from './errors';
import { findFreePort } from './free-port';
import { isRoot } from './postgres-user';

export const DATABASE_NAME = 'scheduled_imports';

export interface StartDatabaseOptions {
  /** Use this server and start nothing. */
  databaseUrl?: string;
  /** The embedded cluster lives in `<dataDir>/postgres`. */
  dataDir: string;
  /** 0 or undefined = a free port. */
  port?: number;
  /** true (default): keep and reuse the cluster; false: delete it on stop (tests). */
  persistent?: boolean;
  /** Receives the embedded server's warnings and errors. */
  log?: (line: string) => void;
}

export interface Database {
  url: string;
  embedded: boolean;
  /** The embedded cluster's folder. */
  pgdata?: string;
  stop(): Promise<void>;
}

/** DATABASE_URL when given; otherwise an embedded PostgreSQL with database `scheduled_imports`. */
export async function startDatabase(options: StartDatabaseOptions): Promise<Database> {
  if (options.databaseUrl) return { url: options.databaseUrl, embedded: false, stop: async () => undefined };

  const persistent = options.persistent ?? true;
  const dataDir = await ensureDataDir(options.dataDir);
  // The server runs as user "postgres" when we are root; it must be able to enter the data dir.
  if (isRoot()) await chmod(dataDir, ((await stat(dataDir)).mode & 0o777) | 0o711);
  const pgdata = join(dataDir, 'postgres');
  const password = persistent ? await loadOrCreateSecret(dataDir, 'postgres-password', generateToken) : generateToken();
  const port = options.port || (await findFreePort());

  const server = await startEmbeddedPostgres({ pgdata, port, password, durable: persistent, log: options.log });
  const stop = async (): Promise<void> => {
    await server.stop();
    if (!persistent) await rm(pgdata, { recursive: true, force: true });
  };
  try {
    await createDatabaseIfMissing({ host: server.host, port, user: server.user, password, database: 'postgres' }, DATABASE_NAME);
  } catch (error) {
    await stop();
    throw new StartupError(`Creating database ${DATABASE_NAME} in the embedded PostgreSQL failed.`, { cause: error });
  }
  const url = `postgres://${server.user}:${encodeURIComponent(password)}@${server.host}:${port}/${DATABASE_NAME}`;
  return { url, embedded: true, pgdata, stop };
}

async function createDatabaseIfMissing(connection: pg.ClientConfig, name: string): Promise<void> {
  const client = new pg.Client(connection);
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`create database ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}
