import type { Queryable } from './queryable';

/** Written by openStagedRowWriter (db/queries/copy-staged-rows.ts). */
export type StagedRow = { seq: number; line: number; fields: string[] | null; problemCode: string | null; problemMessage: string | null };

/** The run file's staged rows, and the resume point that describes them. */
export async function clearStagedRows(db: Queryable, runFileId: string): Promise<void> {
  await db.query('delete from staging_resume_points where run_file_id = $1', [runFileId]);
  await db.query('delete from staged_rows where run_file_id = $1', [runFileId]);
}

export async function deleteStagedRowsFrom(db: Queryable, runFileId: string, fromSeq: number): Promise<void> {
  await db.query('delete from staged_rows where run_file_id = $1 and seq >= $2', [runFileId, fromSeq]);
}

/** A staged row as read back: its fields still joined (splitStagedFields), so a reader splits one row at a time. */
export type LoadedStagedRow = { seq: number; line: number; record: string | null; problemCode: string | null; problemMessage: string | null };

export async function loadStagedRows(db: Queryable, runFileId: string, fromSeq: number, toSeq: number): Promise<LoadedStagedRow[]> {
  const { rows } = await db.query<LoadedStagedRow>(
    `select seq, line, record, problem_code as "problemCode", problem_message as "problemMessage"
     from staged_rows where run_file_id = $1 and seq >= $2 and seq < $3 order by seq`,
    [runFileId, fromSeq, toSeq],
  );
  return rows;
}

export async function clearRunStaging(db: Queryable, runId: string): Promise<void> {
  await db.query('delete from staging_resume_points where run_file_id in (select id from run_files where run_id = $1)', [runId]);
  await db.query('delete from staged_rows where run_file_id in (select id from run_files where run_id = $1)', [runId]);
}
