import { unsealSecrets } from '../security/connection-secrets';
import type { ConnectionConfig, ConnectionSettings } from '../domain/connection';
import { findImportById, findSealedSecrets, type StoredImport } from '../db/queries/imports';
import { findRun, type StoredRun } from '../db/queries/runs';
import { kindOf, type Kind } from '../kinds';
import { KindSettingsError } from '../kinds/kind';
import type { FileSource } from '../sources/file-source';
import type { ActivityDeps } from './deps';
import { RunFailure } from './failures';

/** What every activity of a run works from: the run, its kind, and the kind's settings. */
export interface RunContext {
  run: StoredRun;
  imp: StoredImport;
  kind: Kind;
  settings: unknown;
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
  try {
    return { run, imp, kind, settings: await kind.loadSettings(deps.db, imp) };
  } catch (error) {
    if (error instanceof KindSettingsError) throw new RunFailure(error.code, error.message);
    throw error;
  }
}

/** Credentials are decrypted here, inside the activity, and never leave it. */
async function withSecrets(deps: ActivityDeps, importId: string, settings: ConnectionSettings): Promise<ConnectionConfig> {
  const secrets = unsealSecrets(deps.config.secretsKey, importId, await findSealedSecrets(deps.db, importId));
  return { ...settings, ...secrets };
}

export async function connectionOf(deps: ActivityDeps, imp: StoredImport): Promise<ConnectionConfig> {
  return withSecrets(deps, imp.id, imp.connection);
}

/** A session on the run's file server, closed after fn. */
export async function withRunSource<T>(deps: ActivityDeps, context: RunContext, fn: (source: FileSource) => Promise<T>): Promise<T> {
  const source = await deps.connect(await connectionOf(deps, context.imp), { timeoutMs: 30_000 });
  try {
    return await fn(source);
  } finally {
    await source.close();
  }
}
