import { createSHA256, type IHasher } from 'hash-wasm';
import { withTransaction } from '../db/pool';
import { findRunFile, isDuplicateContent, setRunFileReadProgress, setRunFileStaged, setRunFileStatus } from '../db/queries/run-files';
import { clearFileProblems, insertProblems } from '../db/queries/reports';
import { openStagedRowWriter, type StagedRowWriter } from '../db/queries/copy-staged-rows';
import { clearStagedRows, deleteStagedRowsFrom, type StagedRow } from '../db/queries/staging';
import { DelimitedBatchReader, isBlankRecord, isProblemRecord } from '../domain/delimited';
import { fileAccessProblem } from '../domain/file-access-problems';
import { changedSinceListing, skippedFileProblem } from '../domain/files';
import { fileProblem, type Problem } from '../domain/problems';
import { DOWNLOAD_STALL_MS } from '../domain/heartbeats';
import { findFileContinuation, deleteFileContinuation } from '../db/queries/file-continuations';
import { deleteStagingResumePoint, findStagingResumePoint, saveStagingResumePoint, type StagingResumePoint } from '../db/queries/staging-resume-points';
import { rowsWaitingProblem, rowWindow, splitRows } from '../domain/run-caps';
import { loadRunContext, withRunSource } from './context';
import type { ActivityDeps } from './deps';
import { RunFailure } from './failures';
import { whileHeartbeating } from './heartbeat';
import { untilAborted } from './until-aborted';
import type { FileSource } from '../sources/file-source';

export type StageOutcome = 'ready' | 'empty' | 'duplicate' | 'failed';

const BATCH_ROWS = 1000;
/** Characters of field text per insert: rows may each be up to MAX_ROW_BYTES, so a batch of long rows goes sooner. */
const BATCH_CHARS = 4 * 1024 * 1024;

function fieldChars(fields: readonly string[]): number {
  let chars = 0;
  for (const field of fields) chars += field.length;
  return chars;
}

/** Hashes the bytes as they pass and reports how many have come, every two seconds (a count, never content). */
async function* hashing(stream: AsyncIterable<Buffer>, hash: IHasher, progress: { bytes: number }, report: (bytes: number) => void) {
  let lastReport = 0;
  for await (const chunk of stream) {
    hash.update(chunk);
    progress.bytes += chunk.length;
    if (Date.now() - lastReport > 2000) {
      report(progress.bytes);
      lastReport = Date.now();
    }
    yield chunk;
  }
}

/** A file the run could not read: nothing of it is kept but its problem, and it stays in place. */
async function failFile(deps: ActivityDeps, runId: string, runFileId: string, problem: Problem): Promise<void> {
  await withTransaction(deps.db, async (tx) => {
    await clearStagedRows(tx, runFileId);
    await clearFileProblems(tx, runFileId);
    await insertProblems(tx, runId, runFileId, null, [problem]);
    await setRunFileStatus(tx, runFileId, 'failed');
  });
}

/**
 * The point an earlier attempt at staging this run file reached, when this one can go on from it: the
 * server reads from an offset, and the file's size and mtime are still the listing's. Otherwise
 * whatever the earlier attempt staged is cleared, and this attempt starts from the first byte.
 */
async function resumePointFor(
  deps: ActivityDeps,
  runFileId: string,
  runFile: { name: string; size: number | string; modifiedAt: Date | string },
  source: FileSource,
  windowFrom: number,
): Promise<StagingResumePoint | undefined> {
  const point = await findStagingResumePoint(deps.db, runFileId);
  if (point && source.resumesReads) {
    const now = await source.stat(runFile.name);
    if (now && now.size === Number(runFile.size) && now.modifiedAt.getTime() === new Date(runFile.modifiedAt).getTime()) {
      // rows staged past the point (none: each COPY commits with its point) would be staged twice
      await deleteStagedRowsFrom(deps.db, runFileId, Math.max(0, point.seq - windowFrom));
      return point;
    }
  }
  await clearStagedRows(deps.db, runFileId);
  return undefined;
}

export function createStageFileActivity(deps: ActivityDeps) {
  return {
    /**
     * Streams the file from the server into staged_rows and decides what happens to it.
     * A retry goes on from the earlier attempt's last resume point (saved with each COPY of staged rows)
     * when the server can read from an offset and the file's size and mtime are still the listing's;
     * otherwise it starts over, the earlier attempt's staged rows cleared first.
     * Only the rows of this run's window are staged (renumbered from 0): from where an earlier run stopped in the
     * same unchanged file, at most `rowBudget` of them; the whole file is still read and hashed. `rows` answers the
     * window's rows, `longestRowChars` the longest one's field text (a count, never content).
     */
    async stageFile({ runFileId, rowBudget }: { runFileId: string; rowBudget?: number }): Promise<{ outcome: StageOutcome; rows: number; longestRowChars: number }> {
      return whileHeartbeating(async (beat) => {
        const runFile = await findRunFile(deps.db, runFileId);
        if (!runFile) throw new RunFailure('RUN_FILE_NOT_FOUND', 'The run file record is missing.');
        const runContext = await loadRunContext(deps, runFile.runId);
        const { run, importId, kind, settings } = runContext;
        const format = kind.fileFormat(settings);
        const continuation = await findFileContinuation(deps.db, importId, runFile.name);
        const continues =
          continuation !== undefined && continuation.size === Number(runFile.size) && continuation.modifiedAt.getTime() === new Date(runFile.modifiedAt).getTime();
        const window = rowWindow(continues ? continuation.rowsDone : 0, rowBudget ?? Number.MAX_SAFE_INTEGER);
        const inWindow = (at: number) => at >= window.from && at < window.to;

        const hash = await createSHA256();
        const progress = { bytes: 0 };
        let header: string[] | null = null;
        let seq = 0;
        const rowsStagedSoFar = () => Math.max(0, Math.min(seq, window.to) - window.from);
        beat.details = () => ({ bytes: progress.bytes, rowsStaged: rowsStagedSoFar() });
        // progress for GET /api/runs/:id; losing one such update is harmless
        const report = (bytes: number) => setRunFileReadProgress(deps.db, runFileId, bytes, rowsStagedSoFar()).catch(() => {});
        // Staged blank lines wait until a record follows them: blank lines at the end of a file are not rows.
        // They are consecutive lines, so the first one and a count are all that is kept.
        let blanks = { from: 0, count: 0 };
        // the longest staged row's field text in characters: the workflow makes the file's chunks smaller for long rows
        let longestRowChars = 0;
        let writer: StagedRowWriter | undefined;
        const readOptions = { delimiter: format.delimiter, encoding: format.encoding, maxRecordBytes: deps.config.maxRowBytes, maxRecordFields: deps.config.maxRowFields };
        // while the file downloads, no byte for DOWNLOAD_STALL_MS ends the download (and the beats): the attempt fails
        // retryably and the next one reads on from the last resume point, rather than wait on a server that went quiet
        const stall = new AbortController();
        beat.watch = {
          progress: () => progress.bytes,
          stallAfterMs: DOWNLOAD_STALL_MS,
          stalled: () => stall.abort(new RunFailure('DOWNLOAD_STALLED', `The server sent nothing for ${DOWNLOAD_STALL_MS / 1000} s; the download is tried again from where it stopped.`, true)),
        };
        const staging = withRunSource(deps, runContext, async (source) => {
          const resume = await resumePointFor(deps, runFileId, runFile, source, window.from);
          hash.init();
          if (resume) {
            hash.load(resume.hashState);
            ({ seq, header, blanks, longestRowChars } = resume);
            progress.bytes = resume.bytes;
          }
          const reader = new DelimitedBatchReader(readOptions, resume && { line: resume.line, tail: resume.tail });
          const stream = await source.openRead(runFile.name, resume?.bytes);
          writer = await openStagedRowWriter(deps.db, runFileId, {
            // what is read and counted so far: a COPY commits after the rows of every record read
            beforeCommit: async (tx) => {
              const point = reader.resumePoint();
              if (!point) return deleteStagingResumePoint(tx, runFileId);
              await saveStagingResumePoint(tx, runFileId, { ...point, bytes: progress.bytes, hashState: Buffer.from(hash.save()), seq, header, blanks: { ...blanks }, longestRowChars });
            },
          });
          let batch: StagedRow[] = [];
          const stageBlanks = () => {
            for (let i = 0; i < blanks.count; i++) {
              const at = seq++;
              if (inWindow(at)) batch.push({ seq: at - window.from, line: blanks.from + i, fields: [''], problemCode: null, problemMessage: null });
            }
            blanks.count = 0;
          };
          let batchChars = 0;
          for await (const records of reader.batches(hashing(untilAborted(stream, stall.signal), hash, progress, report))) {
            for (const record of records) {
              if (isProblemRecord(record)) {
                stageBlanks();
                const at = seq++;
                if (inWindow(at)) batch.push({ seq: at - window.from, line: record.line, fields: null, problemCode: record.problem.code, problemMessage: record.problem.message });
              } else if (isBlankRecord(record.fields)) {
                if (format.blankLines === 'skip' || (format.hasHeader && header === null)) continue;
                if (blanks.count === 0) blanks.from = record.line;
                blanks.count++;
              } else if (format.hasHeader && header === null) {
                header = record.fields.map((f) => f.trim());
              } else {
                stageBlanks();
                const at = seq++;
                if (!inWindow(at)) continue;
                batch.push({ seq: at - window.from, line: record.line, fields: record.fields, problemCode: null, problemMessage: null });
                const chars = fieldChars(record.fields);
                batchChars += chars;
                longestRowChars = Math.max(longestRowChars, chars);
              }
            }
            if (batch.length >= BATCH_ROWS || batchChars >= BATCH_CHARS) {
              await writer.write(batch);
              batch = [];
              batchChars = 0;
            }
          }
          await writer.end(batch);
          // a download's session may still have reads in flight when the stream ends early: not kept for another activity
        }, { keepSession: false }).finally(() => (beat.watch = undefined));
        try {
          await staging;
        } catch (error) {
          writer?.abort();
          const problem = fileAccessProblem(error, runFile.name, 'read');
          if (!problem) throw error;
          await failFile(deps, run.id, runFileId, problem);
          return { outcome: 'failed', rows: 0, longestRowChars: 0 };
        }
        if (progress.bytes !== Number(runFile.size)) {
          // written to while it was read: what was staged is not the file, which the next run takes whole
          await failFile(deps, run.id, runFileId, skippedFileProblem(changedSinceListing(runFile.name)));
          return { outcome: 'failed', rows: 0, longestRowChars: 0 };
        }
        const sha256 = hash.digest('hex');
        if (continues && sha256 !== continuation.sha256) {
          // same name, size and mtime but other content: the earlier runs' place in it means nothing; start over
          await deleteFileContinuation(deps.db, importId, runFile.name);
          await clearStagedRows(deps.db, runFileId);
          throw new RunFailure('FILE_CHANGED', 'The file changed since an earlier run applied part of it; it is read again from its first row.', true);
        }
        const rows = seq;
        const { rows: windowRows, rowsAfter } = splitRows(rows, window);

        const problems: Problem[] = [];
        let outcome: StageOutcome = 'ready';
        const headerProblem = kind.checkHeader(settings, header);
        const quoted = JSON.stringify(runFile.name);
        if (rows === 0 && header === null) {
          // before the duplicate check: every empty file has the same hash
          outcome = 'empty';
          problems.push(fileProblem(runFile.name, 'warning', 'EMPTY_FILE', `File ${quoted} is empty; nothing was applied.`));
        } else if (await isDuplicateContent(deps.db, { importId, runId: run.id, runFileId, ordinal: runFile.ordinal, sha256 })) {
          outcome = 'duplicate';
          problems.push(
            fileProblem(runFile.name, 'warning', 'DUPLICATE_FILE', `File ${quoted} has the same content (SHA-256 ${sha256.slice(0, 12)}…) as a file this import already imported; it was not applied again.`),
          );
        } else if (headerProblem) {
          outcome = 'failed';
          problems.push({ ...headerProblem, file: runFile.name });
        } else if (rows === 0) {
          outcome = 'empty';
          problems.push(fileProblem(runFile.name, 'warning', 'EMPTY_FILE', `File ${quoted} has a header but no rows; nothing was applied.`));
        } else if (rowsAfter > 0) {
          problems.push(rowsWaitingProblem(runFile.name, deps.config.runCaps.maxRows, window.from + windowRows, rowsAfter));
        }
        await withTransaction(deps.db, async (tx) => {
          if (outcome !== 'ready') await clearStagedRows(tx, runFileId);
          else await deleteStagingResumePoint(tx, runFileId);
          await clearFileProblems(tx, runFileId);
          await insertProblems(tx, run.id, runFileId, null, problems);
          await setRunFileStaged(tx, runFileId, {
            status: outcome === 'ready' ? 'staged' : outcome,
            sha256,
            rows: windowRows,
            header,
            bytesRead: progress.bytes,
            rowsBefore: window.from,
            rowsAfter: outcome === 'ready' ? rowsAfter : 0,
          });
        });
        return { outcome, rows: outcome === 'ready' ? windowRows : 0, longestRowChars };
      });
    },
  };
}
