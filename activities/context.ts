import { unsealSecrets } from '../security/connection-secrets';
import type { ConnectionConfig } from '../domain/connection';
import type { EligibilityMapping } from '../kinds/eligibility/mapping';
import { findDistrict, type District } from '../db/queries/districts';
import { findImportById, findSealedSecrets, type StoredImport } from '../db/queries/imports';
import { findMapping } from '../db/queries/mappings';
import { findRun, type StoredRun } from '../db/queries/runs';
import type { FileSource } from '../sources/file-source';
import type { ActivityDeps } from './deps';
import { RunFailure } from './failures';

export interface ImportContext {
  imp: StoredImport;
  district: District;
  mapping: EligibilityMapping;
}

export async function loadImportContext(deps: ActivityDeps, importId: string): Promise<ImportContext> {
  const imp = await findImportById(deps.db, importId);
  if (!imp) throw new RunFailure('IMPORT_NOT_FOUND', 'The import was deleted.');
  const district = (await findDistrict(deps.db, imp.districtId))!;
  const mapping = imp.mappingId ? await findMapping(deps.db, imp.districtId, imp.mappingId) : undefined;
  if (!mapping) throw new RunFailure('MAPPING_NOT_FOUND', `Import "${imp.name}" has no mapping.`);
  return { imp, district, mapping: mapping.definition };
}

export async function loadRunContext(deps: ActivityDeps, runId: string): Promise<ImportContext & { run: StoredRun }> {
  const run = await findRun(deps.db, runId);
  if (!run) throw new RunFailure('RUN_NOT_FOUND', 'The run record is missing.');
  if (!run.importId) throw new RunFailure('IMPORT_NOT_FOUND', 'The import was deleted.');
  return { run, ...(await loadImportContext(deps, run.importId)) };
}

/** Credentials are decrypted here, inside the activity, and never leave it. */
export async function connectionOf(deps: ActivityDeps, imp: StoredImport): Promise<ConnectionConfig> {
  const secrets = unsealSecrets(deps.config.secretsKey, imp.id, await findSealedSecrets(deps.db, imp.id));
  return { ...imp.connection, ...secrets };
}

export async function withSource<T>(deps: ActivityDeps, imp: StoredImport, fn: (source: FileSource) => Promise<T>): Promise<T> {
  const source = await deps.connect(await connectionOf(deps, imp), { timeoutMs: 30_000 });
  try {
    return await fn(source);
  } finally {
    await source.close();
  }
}
