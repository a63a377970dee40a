import { withTransaction } from '../db/pool';
import { claimChunk, findChunkCounts, setChunkCounts } from '../db/queries/chunks';
import { findDistrict } from '../db/queries/districts';
import { findRunFile } from '../db/queries/run-files';
import { addRunProgress } from '../db/queries/runs';
import { insertProblems, insertReportRecords } from '../db/queries/reports';
import { loadStagedRows } from '../db/queries/staging';
import { rowError, type Problem } from '../domain/problems';
import { loadRunContext } from './context';
import type { ActivityDeps } from './deps';
import { RunFailure } from './failures';
import { whileHeartbeating } from './heartbeat';

export function createApplyChunkActivity(deps: ActivityDeps) {
  return {
    /**
     * Applies rows [chunkIndex*chunkSize, (chunkIndex+1)*chunkSize) of a staged file through the run's kind.
     * The ledger row, the kind's changes, report records and problems commit together, so a retry of a
     * committed chunk finds the ledger row and changes nothing.
     */
    async applyChunk({ runFileId, chunkIndex, chunkSize }: { runFileId: string; chunkIndex: number; chunkSize: number }): Promise<{ rowsRead: number; rowsApplied: number }> {
      const runFile = await findRunFile(deps.db, runFileId);
      if (!runFile) throw new RunFailure('RUN_FILE_NOT_FOUND', 'The run file record is missing.');
      const { run, kind, settings } = await loadRunContext(deps, runFile.runId);
      const district = (await findDistrict(deps.db, run.districtId))!;
      const readRow = kind.rowReader(settings, runFile.header, district);
      // a chunk waiting on row locks held by another run is alive, not lost
      return whileHeartbeating({ chunkIndex }, () =>
        withTransaction(deps.db, async (tx) => {
          if (!(await claimChunk(tx, runFileId, chunkIndex))) {
            return (await findChunkCounts(tx, runFileId, chunkIndex)) ?? { rowsRead: 0, rowsApplied: 0 };
          }
          const staged = await loadStagedRows(tx, runFileId, chunkIndex * chunkSize, (chunkIndex + 1) * chunkSize);
          const problems: Problem[] = [];
          const rows: { line: number; row: unknown }[] = [];
          for (const { line, fields, problemCode, problemMessage } of staged) {
            if (!fields) {
              problems.push(rowError(line, problemCode ?? 'MALFORMED_ROW', problemMessage ?? 'The row could not be read.'));
              continue;
            }
            const read = readRow(fields, line);
            if (read.ok) rows.push({ line, row: read.row });
            else problems.push(read.problem);
          }
          const applied = await kind.applyRows(tx, { scope: { runId: run.id, districtId: run.districtId, mode: run.mode }, runFileId, settings, rows });
          await insertReportRecords(tx, run.id, runFileId, applied.records);
          // a kind that writes its failing rows back after a real run needs them after staging is gone
          const keepFields = run.mode === 'run' && kind.errorFile !== undefined;
          const fieldsAt = new Map(keepFields ? staged.map((s) => [s.line, s.fields]) : []);
          await insertProblems(
            tx,
            run.id,
            runFileId,
            chunkIndex,
            [...problems, ...applied.problems].map((p) => ({ ...p, file: runFile.name, fields: p.severity === 'error' && p.line !== null ? (fieldsAt.get(p.line) ?? null) : null })),
          );
          await setChunkCounts(tx, runFileId, chunkIndex, staged.length, applied.rowsApplied);
          if (!(await addRunProgress(tx, run.id, staged.length, applied.rowsApplied))) {
            // the run was canceled or ended meanwhile: this chunk rolls back whole
            throw new RunFailure('RUN_ENDED', 'The run ended before this chunk was committed; the chunk was not applied.');
          }
          return { rowsRead: staged.length, rowsApplied: applied.rowsApplied };
        }),
      );
    },
  };
}
