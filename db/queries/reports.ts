import type { Problem } from '../../domain/problems';
import type { ReportRecord, SummaryCount } from '../../kinds/kind';
import type { Queryable } from './queryable';

/** A report record as stored: the columns every kind has, the kind's own fields in `data`, and its file's name. */
export interface StoredReportRecord extends ReportRecord {
  file: string;
}

/** One statement per chunk: the records travel as one JSON parameter. */
export async function insertReportRecords(db: Queryable, runId: string, runFileId: string, records: ReportRecord[]): Promise<void> {
  if (records.length === 0) return;
  await db.query(
    `insert into report_records (run_id, run_file_id, line, ord, student_number, status, data)
     select $1, $2, r.line, r.ord, r.student, r.status, r.data
     from jsonb_to_recordset($3::jsonb) as r(line int, ord int, student text, status text, data jsonb)`,
    [runId, runFileId, JSON.stringify(records)],
  );
}

export async function insertProblems(
  db: Queryable,
  runId: string,
  runFileId: string | null,
  chunkIndex: number | null,
  problems: Problem[],
): Promise<void> {
  if (problems.length === 0) return;
  await db.query(
    `insert into problems (run_id, run_file_id, chunk_index, file, line, severity, code, message)
     select $1, $2, $3, p.file, p.line, p.severity, p.code, p.message
     from jsonb_to_recordset($4::jsonb) as p(file text, line int, severity text, code text, message text)`,
    [runId, runFileId, chunkIndex, JSON.stringify(problems)],
  );
}

/** Run-level problems (skipped files) are rewritten whole by a retried listing. */
export async function clearRunProblems(db: Queryable, runId: string): Promise<void> {
  await db.query('delete from problems where run_id = $1 and run_file_id is null', [runId]);
}

/** File-level problems are rewritten whole by a retried staging attempt. */
export async function clearFileProblems(db: Queryable, runFileId: string): Promise<void> {
  await db.query('delete from problems where run_file_id = $1 and chunk_index is null', [runFileId]);
}

/**
 * The run's summary in the kind's key order: records counted by status, problems by severity.
 * (jsonb keeps no key order, so readers order a stored summary again by the kind's keys.)
 */
export async function summarizeRun(db: Queryable, runId: string, counts: readonly SummaryCount[]): Promise<Record<string, number>> {
  const { rows } = await db.query<{ source: string; value: string; n: number }>(
    `select 'status' as source, status as value, count(*)::int as n from report_records where run_id = $1 group by status
     union all
     select 'severity', severity, count(*)::int from problems where run_id = $1 group by severity`,
    [runId],
  );
  const found = new Map(rows.map((r) => [`${r.source}:${r.value}`, r.n]));
  return Object.fromEntries(counts.map((c) => [c.key, found.get('status' in c ? `status:${c.status}` : `severity:${c.severity}`) ?? 0]));
}

export async function loadReportRecords(db: Queryable, runId: string): Promise<StoredReportRecord[]> {
  const { rows } = await db.query<StoredReportRecord>(
    `select f.name as file, r.line, r.ord, r.student_number as student, r.status, r.data
     from report_records r join run_files f on f.id = r.run_file_id
     where r.run_id = $1 order by f.ordinal, r.line, r.ord`,
    [runId],
  );
  return rows;
}

export async function loadProblems(db: Queryable, runId: string): Promise<Problem[]> {
  const { rows } = await db.query<Problem>(
    `select p.file, p.line, p.severity, p.code, p.message from problems p left join run_files f on f.id = p.run_file_id
     where p.run_id = $1 order by coalesce(f.ordinal, -1), p.line nulls first, p.id`,
    [runId],
  );
  return rows;
}
