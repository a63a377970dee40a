import type { Problem } from '../../domain/problems';
import type { ReportRecord, SummaryCount } from '../../kinds/kind';
import type { DbClient } from '../pool';
import { copyRows } from './copy-rows';
import type { Queryable } from './queryable';

/** A report record as stored: the columns every kind has, the kind's own fields in `data`, and its file's name. */
export interface StoredReportRecord extends ReportRecord {
  file: string;
}

/** One COPY per chunk. (A report record's run is its run file's.) */
export async function insertReportRecords(db: DbClient, runFileId: string, records: ReportRecord[]): Promise<void> {
  await copyRows(
    db,
    'report_records',
    ['run_file_id', 'line', 'ord', 'student_number', 'status', 'data'],
    records.map((r) => [runFileId, r.line, r.ord, r.student, r.status, JSON.stringify(r.data)]),
  );
}

/** A problem as stored; `fields` are a failing row's raw fields, kept only where an after-run step writes them back. */
export type ProblemWrite = Problem & { fields?: string[] | null };

/** One COPY for all of them (a chunk's problems, or a file's). */
export async function insertProblems(
  db: DbClient,
  runId: string,
  runFileId: string | null,
  chunkIndex: number | null,
  problems: ProblemWrite[],
): Promise<void> {
  await copyRows(
    db,
    'problems',
    ['run_id', 'run_file_id', 'chunk_index', 'file', 'line', 'severity', 'code', 'message', 'fields'],
    problems.map((p) => [runId, runFileId, chunkIndex, p.file ?? null, p.line, p.severity, p.code, p.message, p.fields ? JSON.stringify(p.fields) : null]),
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
    `select 'status' as source, r.status as value, count(*)::int as n
     from run_files f join report_records r on r.run_file_id = f.id where f.run_id = $1 group by r.status
     union all
     select 'severity', severity, count(*)::int from problems where run_id = $1 group by severity`,
    [runId],
  );
  const found = new Map(rows.map((r) => [`${r.source}:${r.value}`, r.n]));
  return Object.fromEntries(counts.map((c) => [c.key, found.get('status' in c ? `status:${c.status}` : `severity:${c.severity}`) ?? 0]));
}

/** Where a page of records ended: its last record's file (by ordinal), line and order within the line. */
export interface RecordKey {
  ordinal: number;
  line: number;
  ord: number;
}

/** Where a page of problems ended: its last problem's file (by ordinal; -1: the run's own problems), line (0: none) and id. */
export interface ProblemKey {
  ordinal: number;
  line: number;
  /** bigserial, as text */
  id: string;
}

export type PagedReportRecord = StoredReportRecord & { ordinal: number };
export type PagedProblem = Problem & { ordinal: number; id: string };

/** Before the first record: no file has a negative ordinal. */
const BEFORE_RECORDS: RecordKey = { ordinal: -1, line: 0, ord: -1 };
/** Before the first problem: before the run's own problems (-1). */
const BEFORE_PROBLEMS: ProblemKey = { ordinal: -2, line: 0, id: '0' };

/**
 * Up to `limit` records after `after` (null: from the first), in report order: file, line, ord.
 * Each file is read from its primary key, starting where the last page ended, so a page costs
 * the same at the end of a large report as at its start.
 */
export async function loadReportRecordsAfter(db: Queryable, runId: string, after: RecordKey | null, limit: number): Promise<PagedReportRecord[]> {
  const { ordinal, line, ord } = after ?? BEFORE_RECORDS;
  const { rows } = await db.query<PagedReportRecord>(
    `select f.ordinal, f.name as file, r.line, r.ord, r.student_number as student, r.status, r.data
     from run_files f
     cross join lateral (
       select r.line, r.ord, r.student_number, r.status, r.data from report_records r
       -- in the file the last page ended in, after its last record; in later files, from the start
       where r.run_file_id = f.id
         and (r.line, r.ord) > (case when f.ordinal = $2 then $3 else 0 end, case when f.ordinal = $2 then $4 else -1 end)
       order by r.line, r.ord
       limit $5
     ) r
     where f.run_id = $1 and f.ordinal >= $2
     order by f.ordinal, r.line, r.ord
     limit $5`,
    [runId, ordinal, line, ord, limit],
  );
  return rows;
}

/**
 * Up to `limit` problems after `after` (null: from the first), in report order: the run's own
 * problems (skipped files), then each file's by line (file-level problems, without a line, first).
 */
export async function loadProblemsAfter(db: Queryable, runId: string, after: ProblemKey | null, limit: number): Promise<PagedProblem[]> {
  const { ordinal, line, id } = after ?? BEFORE_PROBLEMS;
  const { rows } = await db.query<PagedProblem>(
    `select page.ordinal, page.id::text as id, page.file, page.line, page.severity, page.code, page.message
     from (
       (select -1 as ordinal, p.id, p.file, p.line, p.severity, p.code, p.message
        from problems p
        where p.run_id = $1 and p.run_file_id is null and $2 <= -1
          and (coalesce(p.line, 0), p.id) > (case when $2 = -1 then $3 else -1 end, case when $2 = -1 then $4::bigint else 0 end)
        order by coalesce(p.line, 0), p.id
        limit $5)
       union all
       (select f.ordinal, p.id, p.file, p.line, p.severity, p.code, p.message
        from run_files f
        cross join lateral (
          select p.id, p.file, p.line, p.severity, p.code, p.message from problems p
          where p.run_id = $1 and p.run_file_id = f.id
            and (coalesce(p.line, 0), p.id) > (case when f.ordinal = $2 then $3 else -1 end, case when f.ordinal = $2 then $4::bigint else 0 end)
          order by coalesce(p.line, 0), p.id
          limit $5
        ) p
        where f.run_id = $1 and f.ordinal >= $2)
     ) page
     order by page.ordinal, coalesce(page.line, 0), page.id
     limit $5`,
    [runId, ordinal, line, id, limit],
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
