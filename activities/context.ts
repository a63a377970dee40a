import { unsealSecrets } from '../security/connection-secrets';
import { describeConnection, sameEndpoint, type ConnectionConfig, type ConnectionSettings } from '../domain/connection';
import { findImportById, findSealedSecrets, type StoredImport } from '../db/queries/imports';
import { findRun, type StoredRun } from '../db/queries/runs';
import { kindOf, type Kind } from '../kinds';
import type { FileSource } from '../sources/file-source';
import type { ActivityDeps } from './deps';
import { RunFailure } from './failures';
import { RunSessions } from './run-sessions';

/**
 * What every activity of a run works from: the run as it was fixed when it was created (its kind,
 * the kind's settings, the connection settings), never the import as it is now.
 */
export interface RunContext {
  run: StoredRun;
  importId: string;
  kind: Kind;
  /** The kind's settings from the run's snapshot, validated by the kind. */
  settings: unknown;
  connection: ConnectionSettings;
}

export async function findImportOrFail(deps: ActivityDeps, importId: string | null): Promise<StoredImport> {
  const imp = importId ? await findImportById(deps.db, importId) : undefined;
  if (!imp) throw new RunFailure('IMPORT_NOT_FOUND', 'The import was deleted.');
  return imp;
}

export async function loadRunContext(deps: ActivityDeps, runId: string): Promise<RunContext> {
  const run = await findRun(deps.db, runId);
  if (!run) throw new RunFailure('RUN_NOT_FOUND', 'The run record is missing.');
  const imp = await findImportOrFail(deps, run.importId);
  const kind = kindOf(run.kind);
  const settings = kind.settingsSchema.safeParse(run.settings);
  if (!settings.success || !run.connection) {
    throw new RunFailure('RUN_SETTINGS_INVALID', 'The settings this run was started with are missing or no longer valid; start a new run.');
  }
  return { run, importId: imp.id, kind, settings: settings.data, connection: run.connection };
}

/** Credentials are decrypted here, inside the activity, and never leave it. */
async function withSecrets(deps: ActivityDeps, importId: string, settings: ConnectionSettings): Promise<ConnectionConfig> {
  const secrets = unsealSecrets(deps.config.secretsKeys, importId, await findSealedSecrets(deps.db, importId));
  return { ...settings, ...secrets };
}

/** Connects under the deployment's address policy. */
function connect(deps: ActivityDeps, config: ConnectionConfig, timeoutMs: number): Promise<FileSource> {
  return deps.connect(config, { timeoutMs, allowLoopback: deps.config.allowLoopbackSources });
}

/** A session on the import's directory as the import is now, for Test Connection. */
export async function openSource(deps: ActivityDeps, imp: StoredImport, timeoutMs: number): Promise<FileSource> {
  return connect(deps, await withSecrets(deps, imp.id, imp.connection), timeoutMs);
}

/**
 * A session on the run's file server (from the run's snapshot), closed after fn. Secrets are the
 * import's current ones and belong to its current endpoint: when the import now points at another
 * server, they are not sent to the one this run started with, and the run stops.
 */
export async function withRunSource<T>(deps: ActivityDeps, context: RunContext, fn: (source: FileSource) => Promise<T>, { keepSession = true } = {}): Promise<T> {
  const imp = await findImportOrFail(deps, context.importId);
  if (!sameEndpoint(imp.connection, context.connection)) {
    throw new RunFailure(
      'CONNECTION_CHANGED',
      `Import "${imp.name}" now connects to another server than the one this run started with (${describeConnection(context.connection)}); the run stops. Start a new run.`,
    );
  }
  const config = await withSecrets(deps, imp.id, context.connection);
  const key = RunSessions.key(context.run.id, config);
  const source = (await deps.sessions?.take(key)) ?? (await connect(deps, config, 30_000));
  let done = false;
  try {
    const result = await fn(source);
    done = true;
    return result;
  } finally {
    if (done && keepSession && deps.sessions) await deps.sessions.keep(key, source);
    else await source.close();
  }
}
