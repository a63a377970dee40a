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

/** A problem as stored; `fields` are a failing row's raw fields, kept only where an after-run step writes them back. */
export type ProblemWrite = Problem & { fields?: string[] | null };

export async function insertProblems(
  db: Queryable,
  runId: string,
  runFileId: string | null,
  chunkIndex: number | null,
  problems: ProblemWrite[],
): Promise<void> {
  if (problems.length === 0) return;
  await db.query(
    `insert into problems (run_id, run_file_id, chunk_index, file, line, severity, code, message, fields)
     select $1, $2, $3, p.file, p.line, p.severity, p.code, p.message, p.fields
     from jsonb_to_recordset($4::jsonb) as p(file text, line int, severity text, code text, message text, fields jsonb)`,
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

/** A row that failed, with its raw fields when they were kept (null for a row that could not be read, or when not kept). */
export interface FailingRow {
  file: string;
  line: number;
  code: string;
  message: string;
  fields: string[] | null;
}

/** The run's failing rows in file and line order. */
export async function loadFailingRows(db: Queryable, runId: string): Promise<FailingRow[]> {
  const { rows } = await db.query<FailingRow>(
    `select p.file, p.line, p.code, p.message, p.fields from problems p join run_files f on f.id = p.run_file_id
     where p.run_id = $1 and p.severity = 'error' and p.line is not null order by f.ordinal, p.line, p.id`,
    [runId],
  );
  return rows;
}

/** How many rows failed with each code (file-level problems aside), most frequent first. */
export async function countRowErrors(db: Queryable, runId: string): Promise<{ code: string; count: number }[]> {
  const { rows } = await db.query<{ code: string; count: number }>(
    `select code, count(*)::int as count from problems where run_id = $1 and severity = 'error' and line is not null
     group by code order by count desc, code`,
    [runId],
  );
  return rows;
}

/** Why each file of the run failed as a whole (e.g. HEADER_MISMATCH): file name → code. */
export async function loadFileErrorCodes(db: Queryable, runId: string): Promise<Map<string, string>> {
  const { rows } = await db.query<{ file: string; code: string }>(
    `select p.file, p.code from problems p where p.run_id = $1 and p.run_file_id is not null and p.line is null and p.severity = 'error' order by p.id`,
    [runId],
  );
  return new Map(rows.map((r) => [r.file, r.code]));
}
