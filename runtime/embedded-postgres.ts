import { execFile } from 'node:child_process';
import { chown, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { StartupError, tailForMessage } from './errors';
import { clearStaleProcess, commandLineOf, isAlive, removePidFile, sleep, writePidFile } from './pid-file';
import { loadPostgresBinaries } from './postgres-binaries';
import { canAccessAs, ensurePostgresUser, isRoot, type UnixUser } from './postgres-user';
import { spawnService, type ServiceProcess } from './service-process';

const run = promisify(execFile);
const HOST = '127.0.0.1';
export const SUPERUSER = 'postgres';

export interface EmbeddedPostgresOptions {
  /** The cluster's folder (PGDATA); initialised on first use. */
  pgdata: string;
  port: number;
  /** The superuser's password; must stay the same for a reused cluster. */
  password: string;
  /** false trades crash safety for speed (fsync off): for throwaway test clusters. */
  durable: boolean;
  /** Receives the server's warnings and errors only. */
  log?: (line: string) => void;
  readyTimeoutMs?: number;
}

export interface EmbeddedPostgres {
  host: string;
  port: number;
  user: string;
  password: string;
  stop(): Promise<void>;
}

/** Starts PostgreSQL on 127.0.0.1 (no Unix socket), initialising the cluster when needed. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const binaries = await loadPostgresBinaries();
  const owner = isRoot() ? await ensurePostgresUser() : undefined;
  if (owner && !(await canAccessAs(owner, binaries.postgres, '-x'))) {
    throw new StartupError(
      `PostgreSQL cannot run as root, so it runs as user "postgres", which cannot reach ${binaries.postgres}. ` +
        'Put the project in a folder other users can read, run as a normal user, or set DATABASE_URL.',
    );
  }

  const pidFile = `${options.pgdata}.pid`;
  await clearStaleProcess(pidFile, { name: 'The embedded PostgreSQL', commandContains: 'postgres', stopSignal: 'SIGINT', graceMs: 30_000 });
  await clearStalePostmasterPid(options.pgdata);

  if (!(await exists(join(options.pgdata, 'PG_VERSION')))) {
    await initialise(binaries.initdb, options, owner);
  }

  const args = ['-D', options.pgdata, '-p', String(options.port), '-c', `listen_addresses=${HOST}`, '-c', 'unix_socket_directories='];
  if (!options.durable) args.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');

  let ready = false;
  const server = await spawnService({
    name: 'the embedded PostgreSQL',
    command: binaries.postgres,
    args,
    cwd: options.pgdata,
    uid: owner?.uid,
    gid: owner?.gid,
    env: { ...process.env, LC_MESSAGES: 'C' },
    // SIGINT is PostgreSQL's "fast" shutdown: it ends sessions instead of waiting for clients.
    stopSignal: 'SIGINT',
    // Until it is up, our own readiness probes make it log "starting up" errors.
    log: (line) => {
      if (ready && isWorthShowing(line)) options.log?.(line);
    },
  });
  await writePidFile(pidFile, server.pid);

  const stop = async (): Promise<void> => {
    await server.stop(30_000);
    await removePidFile(pidFile);
  };
  try {
    await waitUntilReady(server, options);
    ready = true;
  } catch (error) {
    await stop();
    throw error;
  }
  return { host: HOST, port: options.port, user: SUPERUSER, password: options.password, stop };
}

function isWorthShowing(line: string): boolean {
  return /\b(WARNING|ERROR|FATAL|PANIC):/.test(line);
}

async function initialise(initdb: string, options: EmbeddedPostgresOptions, owner: UnixUser | undefined): Promise<void> {
  // A folder without PG_VERSION is an initdb that was interrupted: nothing in it can be used.
  await rm(options.pgdata, { recursive: true, force: true });
  await mkdir(options.pgdata, { recursive: true, mode: 0o700 });
  const passwordDir = await mkdtemp(join(tmpdir(), 'pg-init-'));
  const passwordFile = join(passwordDir, 'password');
  try {
    await writeFile(passwordFile, `${options.password}\n`, { mode: 0o600 });
    if (owner) {
      await chown(options.pgdata, owner.uid, owner.gid);
      await chown(passwordDir, owner.uid, owner.gid);
      await chown(passwordFile, owner.uid, owner.gid);
      if (!(await canAccessAs(owner, options.pgdata, '-w'))) {
        throw new StartupError(
          `PostgreSQL runs as user "postgres" here (it refuses root), and that user cannot write ${options.pgdata}: ` +
            'a folder above it is closed to other users. Use a DATA_DIR other users can enter, or set DATABASE_URL.',
        );
      }
    }
    await run(
      initdb,
      [
        `--pgdata=${options.pgdata}`,
        `--username=${SUPERUSER}`,
        `--pwfile=${passwordFile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C',
        ...(options.durable ? [] : ['--no-sync']),
      ],
      { uid: owner?.uid, gid: owner?.gid, cwd: options.pgdata, env: { ...process.env, LC_MESSAGES: 'C' }, maxBuffer: 16 * 1024 * 1024 },
    );
  } catch (error) {
    if (error instanceof StartupError) throw error;
    const stderr = (error as { stderr?: unknown }).stderr;
    const detail = typeof stderr === 'string' ? tailForMessage(stderr.trim().split('\n').slice(-10)) : '';
    throw new StartupError(`Initialising the embedded PostgreSQL in ${options.pgdata} failed.${detail}`, { cause: error });
  } finally {
    await rm(passwordDir, { recursive: true, force: true });
  }
}

/**
 * PostgreSQL refuses to start while postmaster.pid names a live process. After a hard
 * kill that pid may since belong to something else (common in containers).
 */
async function clearStalePostmasterPid(pgdata: string): Promise<void> {
  const lockFile = join(pgdata, 'postmaster.pid');
  let text: string;
  try {
    text = await readFile(lockFile, 'utf8');
  } catch {
    return;
  }
  const pid = Number(text.split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
    const commandLine = await commandLineOf(pid);
    if (commandLine === undefined || commandLine.includes('postgres')) {
      throw new StartupError(
        `A PostgreSQL server (pid ${pid}) already runs on ${pgdata}, not started by this project's start command. Stop it first.`,
      );
    }
  }
  await rm(lockFile, { force: true });
}

async function waitUntilReady(server: ServiceProcess, options: EmbeddedPostgresOptions): Promise<void> {
  const timeoutMs = options.readyTimeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (true) {
    if (server.hasExited()) {
      const { code, signal } = await server.exited;
      throw new StartupError(
        `The embedded PostgreSQL exited while starting (code ${code ?? '-'}, signal ${signal ?? '-'}).${tailForMessage(server.lastLines())}`,
        { cause: lastError },
      );
    }
    if (Date.now() > deadline) {
      throw new StartupError(
        `The embedded PostgreSQL was not ready on port ${options.port} within ${timeoutMs / 1000} s.${tailForMessage(server.lastLines())}`,
        { cause: lastError },
      );
    }
    const client = new pg.Client({ host: HOST, port: options.port, user: SUPERUSER, password: options.password, database: 'postgres' });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('select 1');
      return;
    } catch (error) {
      lastError = error;
      await sleep(150);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
