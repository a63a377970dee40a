import type { Queryable } from './queryable';

export type StagedRow = { seq: number; line: number; fields: string[] | null; problemCode: string | null; problemMessage: string | null };

export async function clearStagedRows(db: Queryable, runFileId: string): Promise<void> {
  await db.query('delete from staged_rows where run_file_id = $1', [runFileId]);
}

/** One statement per batch: the batch travels as one JSON parameter. */
export async function insertStagedRows(db: Queryable, runFileId: string, rows: StagedRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db.query(
    `insert into staged_rows (run_file_id, seq, line, fields, problem_code, problem_message)
     select $1, r.seq, r.line, r.fields, r."problemCode", r."problemMessage"
     from jsonb_to_recordset($2::jsonb) as r(seq int, line int, fields jsonb, "problemCode" text, "problemMessage" text)`,
    [runFileId, JSON.stringify(rows)],
  );
}

export async function loadStagedRows(db: Queryable, runFileId: string, fromSeq: number, toSeq: number): Promise<StagedRow[]> {
  const { rows } = await db.query<StagedRow>(
    `select seq, line, fields, problem_code as "problemCode", problem_message as "problemMessage"
     from staged_rows where run_file_id = $1 and seq >= $2 and seq < $3 order by seq`,
    [runFileId, fromSeq, toSeq],
  );
  return rows;
}

export async function clearRunStaging(db: Queryable, runId: string): Promise<void> {
  await db.query('delete from staged_rows where run_file_id in (select id from run_files where run_id = $1)', [runId]);
}
