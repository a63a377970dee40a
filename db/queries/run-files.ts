import type { Queryable } from './queryable';

export type RunFileStatus = 'claimed' | 'skipped' | 'staged' | 'empty' | 'duplicate' | 'failed' | 'done';

export interface StoredRunFile {
  id: string;
  runId: string;
  ordinal: number;
  name: string;
  size: number;
  modifiedAt: string;
  status: RunFileStatus;
  sha256: string | null;
  rows: number;
  header: string[] | null;
  renamedTo: string | null;
  bytesRead: number;
  /** Rows of the file earlier runs applied, before this run's window. */
  rowsBefore: number;
  /** Rows of the file after this run's window, left for the next run. */
  rowsAfter: number;
}

const COLUMNS = `id, run_id as "runId", ordinal, name, size, modified_at as "modifiedAt", status, sha256, rows, header, renamed_to as "renamedTo", bytes_read as "bytesRead", rows_before as "rowsBefore", rows_after as "rowsAfter"`;

/** Registers a claimed file; a retried claim returns the same row. */
export async function claimRunFile(
  db: Queryable,
  f: { runId: string; ordinal: number; name: string; size: number; modifiedAt: Date },
): Promise<StoredRunFile> {
  const { rows } = await db.query<StoredRunFile>(
    `insert into run_files (run_id, ordinal, name, size, modified_at, status) values ($1, $2, $3, $4, $5, 'claimed')
     on conflict (run_id, name) do update set name = excluded.name returning ${COLUMNS}`,
    [f.runId, f.ordinal, f.name, f.size, f.modifiedAt],
  );
  return rows[0]!;
}

export async function findRunFile(db: Queryable, id: string): Promise<StoredRunFile | undefined> {
  const { rows } = await db.query<StoredRunFile>(`select ${COLUMNS} from run_files where id = $1`, [id]);
  return rows[0];
}

export async function listRunFiles(db: Queryable, runId: string): Promise<StoredRunFile[]> {
  const { rows } = await db.query<StoredRunFile>(`select ${COLUMNS} from run_files where run_id = $1 order by ordinal`, [runId]);
  return rows;
}

export async function setRunFileStaged(
  db: Queryable,
  id: string,
  s: { status: RunFileStatus; sha256: string; rows: number; header: string[] | null; bytesRead: number; rowsBefore?: number; rowsAfter?: number },
): Promise<void> {
  await db.query('update run_files set status = $2, sha256 = $3, rows = $4, header = $5, bytes_read = $6, rows_before = $7, rows_after = $8 where id = $1', [
    id,
    s.status,
    s.sha256,
    s.rows,
    s.header,
    s.bytesRead,
    s.rowsBefore ?? 0,
    s.rowsAfter ?? 0,
  ]);
}

/** Progress while a file is staged: bytes read so far and the rows of the run's window staged so far. */
export async function setRunFileReadProgress(db: Queryable, id: string, bytes: number, rowsStaged: number): Promise<void> {
  await db.query("update run_files set bytes_read = $2, rows = $3 where id = $1 and status = 'claimed'", [id, bytes, rowsStaged]);
}

export async function setRunFileStatus(db: Queryable, id: string, status: RunFileStatus, renamedTo?: string | null): Promise<void> {
  await db.query('update run_files set status = $2, renamed_to = coalesce($3, renamed_to) where id = $1', [id, status, renamedTo ?? null]);
}

/** A file that could not be renamed: failed, and the rename target fixed beforehand forgotten. */
export async function setRunFileNotRenamed(db: Queryable, id: string): Promise<void> {
  await db.query(`update run_files set status = 'failed', renamed_to = null where id = $1`, [id]);
}

/** Files the run took (not skipped), and how many of them failed with one of `codes` as their file problem. */
export async function countFilesFailedWith(db: Queryable, runId: string, codes: readonly string[]): Promise<{ taken: number; failed: number }> {
  const { rows } = await db.query<{ taken: number; failed: number }>(
    `select count(*)::int as taken,
            count(*) filter (where f.status = 'failed' and exists (
              select 1 from problems p where p.run_file_id = f.id and p.line is null and p.code = any($2::text[])))::int as failed
     from run_files f where f.run_id = $1 and f.status <> 'skipped'`,
    [runId, codes],
  );
  return rows[0]!;
}

/** True when this content was imported before by the import, or appears earlier in this same run. */
export async function isDuplicateContent(db: Queryable, f: { importId: string; runId: string; runFileId: string; ordinal: number; sha256: string }): Promise<boolean> {
  const { rows } = await db.query(
    `select 1 from imported_files where import_id = $1 and sha256 = $2
     union all
     select 1 from run_files where run_id = $3 and sha256 = $2 and ordinal < $4 and id <> $5 and status <> 'failed'
     limit 1`,
    [f.importId, f.sha256, f.runId, f.ordinal, f.runFileId],
  );
  return rows.length > 0;
}

export async function recordImportedFile(db: Queryable, f: { importId: string; sha256: string; name: string; runId: string }): Promise<void> {
  await db.query(
    'insert into imported_files (import_id, sha256, name, run_id) values ($1, $2, $3, $4) on conflict do nothing',
    [f.importId, f.sha256, f.name, f.runId],
  );
}
