import { Context } from '@temporalio/activity';
import { withTransaction } from '../db/pool';
import { claimChunk, findChunkCounts, setChunkCounts } from '../db/queries/chunks';
import { findDistrict } from '../db/queries/districts';
import { findRunFile } from '../db/queries/run-files';
import { addRunProgress } from '../db/queries/runs';
import { insertProblems, insertReportRecords } from '../db/queries/reports';
import { loadStagedRows } from '../db/queries/staging';
import { isRunStopRequested, requestRunStop } from '../db/queries/run-caps';
import { rowError, type Problem } from '../domain/problems';
import { splitStagedFields } from '../domain/staged-fields';
import { loadRunContext } from './context';
import type { ActivityDeps } from './deps';
import { RunFailure } from './failures';
import { whileHeartbeating } from './heartbeat';

type ChunkCounts = { rowsRead: number; rowsApplied: number };
/** A chunk started and not yet settled: its index, and its counts once it has committed. */
type ChunkInFlight = { index: number; counts: Promise<ChunkCounts> };

/** What every chunk of one staged file is applied with: the run, its kind and the file's row reader. */
async function loadChunkContext(deps: ActivityDeps, runFileId: string) {
  const runFile = await findRunFile(deps.db, runFileId);
  if (!runFile) throw new RunFailure('RUN_FILE_NOT_FOUND', 'The run file record is missing.');
  const { run, kind, settings } = await loadRunContext(deps, runFile.runId);
  const district = (await findDistrict(deps.db, run.districtId))!;
  const readRow = kind.rowReader(settings, runFile.header, district);
  return { runFile, run, kind, settings, readRow };
}

/** How a chunk runs beside the file's chunk before it (see applyChunks). */
interface ChunkOrder {
  /** Called when the kind holds its row locks (RowsChunk.locked). */
  locked?: () => void;
  /** The chunk before, in flight: this one commits only after it has, and rolls back if it failed. */
  after?: Promise<unknown>;
}

/**
 * Applies staged rows [chunkIndex*chunkSize, (chunkIndex+1)*chunkSize) of a file through the run's kind.
 * The ledger row, the kind's changes, report records and problems commit together, so a retry of a
 * committed chunk finds the ledger row and changes nothing.
 */
async function applyOneChunk(deps: ActivityDeps, c: Awaited<ReturnType<typeof loadChunkContext>>, chunkIndex: number, chunkSize: number, order: ChunkOrder = {}): Promise<ChunkCounts> {
  const { runFile, run, kind, settings, readRow } = c;
  const runFileId = runFile.id;
  return withTransaction(deps.db, async (tx) => {
    if (!(await claimChunk(tx, runFileId, chunkIndex))) {
      return (await findChunkCounts(tx, runFileId, chunkIndex)) ?? { rowsRead: 0, rowsApplied: 0 };
    }
    const staged = await loadStagedRows(tx, runFileId, chunkIndex * chunkSize, (chunkIndex + 1) * chunkSize);
    const rowsRead = staged.length;
    // a kind that writes its failing rows back after a real run needs them after staging is gone
    const keepFields = run.mode === 'run' && kind.errorFile !== undefined;
    const fieldsAt = new Map<number, string[] | null>();
    const problems: Problem[] = [];
    const rows: { line: number; row: unknown }[] = [];
    for (const { line, record, problemCode, problemMessage } of staged) {
      // split here, one row at a time: a chunk's field arrays are garbage as soon as their row is read
      const fields = record === null ? null : splitStagedFields(record);
      if (keepFields) fieldsAt.set(line, fields);
      if (fields === null) {
        problems.push(rowError(line, problemCode ?? 'MALFORMED_ROW', problemMessage ?? 'The row could not be read.'));
        continue;
      }
      const read = readRow(fields, line);
      if (read.ok) rows.push({ line, row: read.row });
      else problems.push(read.problem);
    }
    const applied = await kind.applyRows(tx, { scope: { runId: run.id, districtId: run.districtId, mode: run.mode }, runFileId, settings, rows, locked: order.locked });
    await insertReportRecords(tx, runFileId, applied.records);
    await insertProblems(
      tx,
      run.id,
      runFileId,
      chunkIndex,
      [...problems, ...applied.problems].map((p) => ({ ...p, file: runFile.name, fields: p.severity === 'error' && p.line !== null ? (fieldsAt.get(p.line) ?? null) : null })),
    );
    await setChunkCounts(tx, runFileId, chunkIndex, rowsRead, applied.rowsApplied);
    // chunks commit in file order; the run's row is the one both would update, so only after the one before
    await order.after;
    if (!(await addRunProgress(tx, run.id, rowsRead, applied.rowsApplied))) {
      // the run was canceled or ended meanwhile: this chunk rolls back whole
      throw new RunFailure('RUN_ENDED', 'The run ended before this chunk was committed; the chunk was not applied.');
    }
    return { rowsRead, rowsApplied: applied.rowsApplied };
  });
}

/** Stop taking new chunks after this long, so one activity stays short and its retry repeats little. */
const APPLY_SLICE_MS = 25_000;

export function createApplyChunkActivity(deps: ActivityDeps) {
  return {
    /** One chunk (kept for tools and tests that apply a chunk on its own). */
    async applyChunk({ runFileId, chunkIndex, chunkSize }: { runFileId: string; chunkIndex: number; chunkSize: number }): Promise<ChunkCounts> {
      return whileHeartbeating(async (beat) => {
        beat.details = () => ({ chunkIndex });
        return applyOneChunk(deps, await loadChunkContext(deps, runFileId), chunkIndex, chunkSize);
      });
    },

    /** The run's workflow was canceled: its applyChunks stops before its next chunk. */
    async stopChunks({ runId }: { runId: string }): Promise<void> {
      await requestRunStop(deps.db, runId);
    },

    /**
     * Applies consecutive chunks of a staged file of `rows` rows from `fromChunk`, each in its own transaction with
     * its own ledger row, for about 25 seconds or until canceled (then it stops after the chunks in flight: the cancel
     * arrives with a heartbeat's reply or, sooner, as the workflow's stopChunks).
     * Two chunks run at once where the kind allows (RowsChunk.locked): the next starts on another connection once
     * this one holds its locks, so one's rules run in JS while PostgreSQL writes the other's rows; they commit in
     * file order. Answers the next chunk to apply and this call's counts, so a file costs a few activities.
     */
    async applyChunks({ runFileId, fromChunk, chunkSize, rows }: { runFileId: string; fromChunk: number; chunkSize: number; rows: number }): Promise<ChunkCounts & { nextChunk: number }> {
      const context = Context.current();
      const started = Date.now();
      const total = { rowsRead: 0, rowsApplied: 0 };
      let chunkIndex = fromChunk;
      let settled = fromChunk;
      let inFlight: ChunkInFlight | undefined;
      const settle = async (chunk: ChunkInFlight) => {
        const counts = await chunk.counts;
        total.rowsRead += counts.rowsRead;
        total.rowsApplied += counts.rowsApplied;
        settled = chunk.index + 1;
      };
      // beats also while a chunk waits on row locks held by another run: that chunk is alive, not lost
      return whileHeartbeating(async (beat) => {
        beat.details = () => ({ chunkIndex: settled, rowsApplied: total.rowsApplied });
        const chunkContext = await loadChunkContext(deps, runFileId);
        try {
          while (chunkIndex * chunkSize < rows) {
            if (context.cancellationSignal.aborted || (await isRunStopRequested(deps.db, chunkContext.run.id))) break;
            let locked!: () => void;
            const holdsLocks = new Promise<void>((resolve) => (locked = resolve));
            const before = inFlight;
            const counts = applyOneChunk(deps, chunkContext, chunkIndex, chunkSize, { locked, after: before?.counts });
            let failed = false;
            const ended = counts.then(
              () => undefined,
              () => {
                failed = true;
              },
            );
            // the next chunk may start once this one holds its locks, or has ended
            await Promise.race([holdsLocks, ended]);
            inFlight = { index: chunkIndex, counts };
            chunkIndex++;
            if (before) await settle(before);
            if (failed) await settle(inFlight);
            if (Date.now() - started > APPLY_SLICE_MS) break;
          }
          if (inFlight) await settle(inFlight);
        } catch (error) {
          // the chunk still in flight rolls back too (it commits only after the one before): wait for it to end
          await inFlight?.counts.catch(() => undefined);
          throw error;
        }
        return { ...total, nextChunk: chunkIndex };
      });
    },
  };
}
