import type { Queryable } from './queryable';

/**
 * Takes the chunk's ledger row inside the caller's transaction. False means an earlier attempt
 * already committed this chunk, so the caller must change nothing. Concurrent attempts wait on the row lock.
 */
export async function claimChunk(db: Queryable, runFileId: string, chunkIndex: number): Promise<boolean> {
  const { rowCount } = await db.query(
    `insert into run_chunks (run_file_id, chunk_index, rows_read, rows_applied) values ($1, $2, 0, 0) on conflict do nothing`,
    [runFileId, chunkIndex],
  );
  return (rowCount ?? 0) === 1;
}

export async function setChunkCounts(db: Queryable, runFileId: string, chunkIndex: number, rowsRead: number, rowsApplied: number): Promise<void> {
  await db.query('update run_chunks set rows_read = $3, rows_applied = $4 where run_file_id = $1 and chunk_index = $2', [runFileId, chunkIndex, rowsRead, rowsApplied]);
}

export async function findChunkCounts(db: Queryable, runFileId: string, chunkIndex: number): Promise<{ rowsRead: number; rowsApplied: number } | undefined> {
  const { rows } = await db.query<{ rowsRead: number; rowsApplied: number }>(
    'select rows_read as "rowsRead", rows_applied as "rowsApplied" from run_chunks where run_file_id = $1 and chunk_index = $2',
    [runFileId, chunkIndex],
  );
  return rows[0];
}
