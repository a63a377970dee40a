import type { Queryable } from './queryable';

export interface FileContinuation {
  size: number;
  modifiedAt: Date;
  sha256: string;
  rowsDone: number;
}

export async function findFileContinuation(db: Queryable, importId: string, name: string): Promise<FileContinuation | undefined> {
  const { rows } = await db.query<{ size: string; modifiedAt: Date; sha256: string; rowsDone: number }>(
    'select size, modified_at as "modifiedAt", sha256, rows_done as "rowsDone" from file_continuations where import_id = $1 and name = $2',
    [importId, name],
  );
  const row = rows[0];
  return row && { size: Number(row.size), modifiedAt: row.modifiedAt, sha256: row.sha256, rowsDone: row.rowsDone };
}

export async function saveFileContinuation(db: Queryable, importId: string, runId: string, name: string, c: FileContinuation): Promise<void> {
  await db.query(
    `insert into file_continuations (import_id, name, size, modified_at, sha256, rows_done, run_id) values ($1, $2, $3, $4, $5, $6, $7)
     on conflict (import_id, name) do update set size = excluded.size, modified_at = excluded.modified_at, sha256 = excluded.sha256,
       rows_done = excluded.rows_done, run_id = excluded.run_id, updated_at = now()`,
    [importId, name, c.size, c.modifiedAt, c.sha256, c.rowsDone, runId],
  );
}

export async function deleteFileContinuation(db: Queryable, importId: string, name: string): Promise<void> {
  await db.query('delete from file_continuations where import_id = $1 and name = $2', [importId, name]);
}
