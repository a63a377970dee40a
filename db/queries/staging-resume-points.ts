import type { Queryable } from './queryable';

/** Where a retried download of a run file goes on from (db/migrations/019_staging_resume_points.sql). */
export interface StagingResumePoint {
  /** Bytes of the file read and hashed; the download goes on from here. */
  bytes: number;
  hashState: Buffer;
  /** The bytes of the record not finished at `bytes`, read again first. */
  tail: Buffer;
  line: number;
  /** Rows counted so far (the file's, not the run window's). */
  seq: number;
  header: string[] | null;
  blanks: { from: number; count: number };
  longestRowChars: number;
}

export async function saveStagingResumePoint(db: Queryable, runFileId: string, point: StagingResumePoint): Promise<void> {
  await db.query(
    `insert into staging_resume_points (run_file_id, bytes, hash_state, tail, line, seq, header, blanks_from, blanks_count, longest_row_chars)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     on conflict (run_file_id) do update set bytes = excluded.bytes, hash_state = excluded.hash_state, tail = excluded.tail, line = excluded.line,
       seq = excluded.seq, header = excluded.header, blanks_from = excluded.blanks_from, blanks_count = excluded.blanks_count,
       longest_row_chars = excluded.longest_row_chars`,
    [runFileId, point.bytes, point.hashState, point.tail, point.line, point.seq, point.header, point.blanks.from, point.blanks.count, point.longestRowChars],
  );
}

export async function findStagingResumePoint(db: Queryable, runFileId: string): Promise<StagingResumePoint | undefined> {
  const { rows } = await db.query<{
    bytes: string;
    hash_state: Buffer;
    tail: Buffer;
    line: number;
    seq: number;
    header: string[] | null;
    blanks_from: number;
    blanks_count: number;
    longest_row_chars: number;
  }>('select * from staging_resume_points where run_file_id = $1', [runFileId]);
  const row = rows[0];
  if (!row) return undefined;
  return {
    bytes: Number(row.bytes),
    hashState: row.hash_state,
    tail: row.tail,
    line: row.line,
    seq: row.seq,
    header: row.header,
    blanks: { from: row.blanks_from, count: row.blanks_count },
    longestRowChars: row.longest_row_chars,
  };
}

export async function deleteStagingResumePoint(db: Queryable, runFileId: string): Promise<void> {
  await db.query('delete from staging_resume_points where run_file_id = $1', [runFileId]);
}

/** The bytes a retried download of the run's files reads on from, summed over its files (0 when none has a resume point). */
export async function runResumeBytes(db: Queryable, runId: string): Promise<number> {
  const { rows } = await db.query<{ bytes: string | null }>(
    'select sum(p.bytes) as bytes from staging_resume_points p join run_files f on f.id = p.run_file_id where f.run_id = $1',
    [runId],
  );
  return Number(rows[0]?.bytes ?? 0);
}
