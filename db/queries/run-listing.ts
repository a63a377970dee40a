import type { Queryable } from './queryable';

export interface ListedRunFile {
  name: string;
  size: number;
  modifiedAt: Date;
}

/** Stores the files the run takes, in order; a retried listing replaces its own. */
export async function replaceRunListing(db: Queryable, runId: string, files: readonly ListedRunFile[]): Promise<void> {
  await db.query('delete from run_listing where run_id = $1', [runId]);
  if (files.length === 0) return;
  await db.query(
    `insert into run_listing (run_id, ordinal, name, size, modified_at)
     select $1, f.ordinal - 1, f.name, f.size, f.modified_at
     from unnest($2::text[], $3::bigint[], $4::timestamptz[]) with ordinality as f(name, size, modified_at, ordinal)`,
    [runId, files.map((f) => f.name), files.map((f) => f.size), files.map((f) => f.modifiedAt)],
  );
}

export async function findListedFile(db: Queryable, runId: string, ordinal: number): Promise<ListedRunFile | undefined> {
  const { rows } = await db.query<{ name: string; size: string; modifiedAt: Date }>(
    'select name, size, modified_at as "modifiedAt" from run_listing where run_id = $1 and ordinal = $2',
    [runId, ordinal],
  );
  const row = rows[0];
  return row && { name: row.name, size: Number(row.size), modifiedAt: row.modifiedAt };
}

/** A run that has ended needs its listing no more. */
export async function clearRunListing(db: Queryable, runId: string): Promise<void> {
  await db.query('delete from run_listing where run_id = $1', [runId]);
}
