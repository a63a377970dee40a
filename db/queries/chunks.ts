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

/** What a run committed: its chunks and their rows (each chunk is one transaction, so these are whole). */
export async function countRunChunks(db: Queryable, runId: string): Promise<{ chunks: number; rowsApplied: number }> {
  const { rows } = await db.query<{ chunks: number; rowsApplied: number }>(
    `select count(*)::int as chunks, coalesce(sum(c.rows_applied), 0)::int as "rowsApplied"
     from run_chunks c join run_files f on f.id = c.run_file_id where f.run_id = $1`,
    [runId],
  );
  return rows[0]!;
}
