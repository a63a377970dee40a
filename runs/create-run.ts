import { withTransaction, type Db } from '../db/pool';
import { insertBatch } from '../db/queries/batches';
import type { StoredImport } from '../db/queries/imports';
import { insertRun, markRunFailed, type StoredRun } from '../db/queries/runs';
import type { BatchOptions, RunMode, RunTrigger } from '../domain/runs';
import { kindOf } from '../kinds';
import { KindSettingsError } from '../kinds/kind';
import { enforceDistrictRunCap } from './district-run-cap';

/**
 * The one way a run is created (by the API, or by beginRun for a schedule-started run). It fixes
 * what the run works from: the import's kind, the kind's settings and the connection settings (never
 * secrets) as they are now, so editing the import later changes nothing in this run. Settings that
 * cannot be loaded (e.g. a missing mapping) give a run that has failed at once with their code.
 * Throws RunInProgressError while another run of the import in the same mode is queued or running,
 * DistrictRunCapError when `districtRunCap` is given and the district already has that many runs
 * queued or running, and UnknownKindError for a kind this build does not run. A batch submission is stored with its run.
 */
export async function createRun(db: Db, r: { id: string; imp: StoredImport; mode: RunMode; trigger: RunTrigger; workflowId: string; districtRunCap?: number; batch?: BatchOptions }): Promise<StoredRun> {
  const kind = kindOf(r.imp.kind);
  let settings: unknown = null;
  let failure: { code: string; message: string } | null = null;
  try {
    settings = await kind.loadSettings(db, r.imp);
  } catch (error) {
    if (!(error instanceof KindSettingsError)) throw error;
    failure = { code: error.code, message: error.message };
  }
  return withTransaction(db, async (tx) => {
    const run = await insertRun(tx, {
      id: r.id,
      districtId: r.imp.districtId,
      importId: r.imp.id,
      importName: r.imp.name,
      kind: kind.name,
      settings,
      connection: r.imp.connection,
      mode: r.mode,
      trigger: r.trigger,
      workflowId: r.workflowId,
    });
    if (r.districtRunCap !== undefined) await enforceDistrictRunCap(tx, r.imp.districtId, r.districtRunCap);
    if (r.batch) await insertBatch(tx, { ...r.batch, districtId: r.imp.districtId, runId: run.id });
    if (!failure) return run;
    await markRunFailed(tx, run.id, failure, null);
    return { ...run, status: 'failed', error: failure };
  });
}
