import { copyLine } from '../../domain/copy-text';
import { joinStagedFields } from '../../domain/staged-fields';
import type { Db, DbClient } from '../pool';
import type { Queryable } from './queryable';
import { startCopy, type CopyIn } from './copy-stream';
import type { StagedRow } from './staging';

/**
 * Where a COPY statement ends and the next begins: each one commits on its own (with what
 * `beforeCommit` writes), so a long file is staged in steps that stay and can be seen (progress,
 * a retry's resume) while the rest downloads.
 */
export const ROWS_PER_COPY = 100_000;
export const CHARS_PER_COPY = 4 * 1024 * 1024;

const COPY_STAGED_ROWS = 'copy staged_rows (run_file_id, seq, line, record, problem_code, problem_message) from stdin';

/**
 * Streams a file's staged rows into `staged_rows` with COPY, on one pooled connection held until
 * `end` or `abort`. `write` waits while PostgreSQL is behind (backpressure), so memory holds one
 * batch at a time, whatever the file's size.
 */
export interface StagedRowWriter {
  write(rows: readonly StagedRow[]): Promise<void>;
  /** Writes the last rows (if any) and waits until PostgreSQL has them all. */
  end(rows?: readonly StagedRow[]): Promise<void>;
  /** Gives the connection up with any COPY in progress abandoned (its rows are not kept). */
  abort(): void;
}

export interface StagedRowWriterOptions {
  rowsPerCopy?: number;
  charsPerCopy?: number;
  /**
   * Run in each COPY's transaction just before it commits, after its last row: what is written there
   * (a resume point) is kept exactly when those rows are.
   */
  beforeCommit?: (tx: Queryable) => Promise<void>;
}

export async function openStagedRowWriter(db: Db, runFileId: string, options: StagedRowWriterOptions = {}): Promise<StagedRowWriter> {
  const { rowsPerCopy = ROWS_PER_COPY, charsPerCopy = CHARS_PER_COPY, beforeCommit } = options;
  const client: DbClient = await db.connect();
  let failure: Error | undefined;
  // a connection lost while checked out emits 'error' besides failing the COPY; without a listener it would crash the process
  const onError = (error: Error) => {
    failure = error;
  };
  client.on('error', onError);
  let copy: CopyIn | null = null;
  let rowsInCopy = 0;
  let charsInCopy = 0;
  let released = false;
  let inTransaction = false;

  const release = (discard: boolean) => {
    if (released) return;
    released = true;
    client.removeListener('error', onError);
    client.release(discard ? (failure ?? true) : undefined);
  };
  const endCopy = async () => {
    if (!copy) return;
    const ending = copy;
    copy = null;
    rowsInCopy = 0;
    charsInCopy = 0;
    await ending.end();
    if (!beforeCommit) return;
    await beforeCommit(client);
    await client.query('commit');
    inTransaction = false;
  };
  const write = async (rows: readonly StagedRow[]) => {
    if (rows.length === 0) return;
    if (released) throw new Error('The staged row writer was already closed.');
    try {
      let text = '';
      for (const row of rows) {
        text += copyLine([runFileId, row.seq, row.line, row.fields === null ? null : joinStagedFields(row.fields), row.problemCode, row.problemMessage]);
      }
      if (!copy && beforeCommit) {
        inTransaction = true;
        await client.query('begin');
      }
      copy ??= startCopy(client, COPY_STAGED_ROWS);
      rowsInCopy += rows.length;
      charsInCopy += text.length;
      await copy.write(text);
      if (rowsInCopy >= rowsPerCopy || charsInCopy >= charsPerCopy) await endCopy();
    } catch (error) {
      release(true);
      throw error;
    }
  };
  return {
    write,
    async end(rows = []) {
      await write(rows);
      try {
        await endCopy();
      } catch (error) {
        release(true);
        throw error;
      }
      release(false);
    },
    abort() {
      // closing the connection makes PostgreSQL abandon the COPY statement in progress
      release(copy !== null || inTransaction);
    },
  };
}
