import { withTransaction } from '../db/pool';
import { claimChunk, findChunkCounts, setChunkCounts } from '../db/queries/chunks';
import { findRunFile } from '../db/queries/run-files';
import { addRunProgress } from '../db/queries/runs';
import { loadStagedRows } from '../db/queries/staging';
import { applyEligibilityChunk } from '../kinds/eligibility/apply-chunk';
import { loadRunContext } from './context';
import type { ActivityDeps } from './deps';
import { RunFailure } from './failures';
import { whileHeartbeating } from './heartbeat';

export function createApplyChunkActivity(deps: ActivityDeps) {
  return {
    /**
     * Applies rows [chunkIndex*chunkSize, (chunkIndex+1)*chunkSize) of a staged file. The ledger row and
     * every change commit together, so a retry of a committed chunk finds the ledger row and changes nothing.
     */
    async applyChunk({ runFileId, chunkIndex, chunkSize }: { runFileId: string; chunkIndex: number; chunkSize: number }): Promise<{ rowsRead: number; rowsApplied: number }> {
      const runFile = await findRunFile(deps.db, runFileId);
      if (!runFile) throw new RunFailure('RUN_FILE_NOT_FOUND', 'The run file record is missing.');
      const { run, district, mapping } = await loadRunContext(deps, runFile.runId);
      // a chunk waiting on row locks held by another run is alive, not lost
      return whileHeartbeating({ chunkIndex }, () =>
        withTransaction(deps.db, async (tx) => {
          if (!(await claimChunk(tx, runFileId, chunkIndex))) {
            return (await findChunkCounts(tx, runFileId, chunkIndex)) ?? { rowsRead: 0, rowsApplied: 0 };
          }
          const rows = await loadStagedRows(tx, runFileId, chunkIndex * chunkSize, (chunkIndex + 1) * chunkSize);
          const { rowsApplied } = await applyEligibilityChunk(tx, {
            scope: { mode: run.mode, districtId: district.id, runId: run.id },
            runFileId,
            fileName: runFile.name,
            chunkIndex,
            header: runFile.header,
            mapping,
            certifiedTypes: district.certifiedTypes,
            rows,
          });
          await setChunkCounts(tx, runFileId, chunkIndex, rows.length, rowsApplied);
          await addRunProgress(tx, run.id, rows.length, rowsApplied);
          return { rowsRead: rows.length, rowsApplied };
        }),
      );
    },
  };
}
