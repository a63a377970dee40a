import type { Problem } from '../../domain/problems';
import type { Queryable } from './queryable';

export interface ReportRecordRow {
  line: number;
  ord: number;
  studentNumber: string;
  name: string;
  schoolYear: number;
  startDate: string;
  endDate: string | null;
  eligibility: string;
  certifiedType: string;
  applicationName: string | null;
  referenceNumber: string | null;
  status: 'New' | 'Updated' | 'Ended' | 'Removed' | 'Existing';
}

export async function insertReportRecords(db: Queryable, runId: string, runFileId: string, records: ReportRecordRow[]): Promise<void> {
  if (records.length === 0) return;
  await db.query(
    `insert into report_records (run_id, run_file_id, line, ord, student_number, name, school_year, start_date, end_date,
       eligibility, certified_type, application_name, reference_number, status)
     select $1, $2, r.line, r.ord, r."studentNumber", r.name, r."schoolYear", r."startDate"::date, r."endDate"::date,
       r.eligibility, r."certifiedType", r."applicationName", r."referenceNumber", r.status
     from jsonb_to_recordset($3::jsonb) as r(line int, ord int, "studentNumber" text, name text, "schoolYear" int, "startDate" text,
       "endDate" text, eligibility text, "certifiedType" text, "applicationName" text, "referenceNumber" text, status text)`,
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

/** File-level problems are rewritten whole by a retried staging attempt. */
export async function clearFileProblems(db: Queryable, runFileId: string): Promise<void> {
  await db.query('delete from problems where run_file_id = $1 and chunk_index is null', [runFileId]);
}

export interface EligibilitySummary {
  new: number;
  updated: number;
  ended: number;
  removed: number;
  existing: number;
  errors: number;
  warnings: number;
}

export async function summarizeEligibilityRun(db: Queryable, runId: string): Promise<EligibilitySummary> {
  const { rows } = await db.query<EligibilitySummary>(
    `select
       (select count(*) from report_records where run_id = $1 and status = 'New')::int as new,
       (select count(*) from report_records where run_id = $1 and status = 'Updated')::int as updated,
       (select count(*) from report_records where run_id = $1 and status = 'Ended')::int as ended,
       (select count(*) from report_records where run_id = $1 and status = 'Removed')::int as removed,
       (select count(*) from report_records where run_id = $1 and status = 'Existing')::int as existing,
       (select count(*) from problems where run_id = $1 and severity = 'error')::int as errors,
       (select count(*) from problems where run_id = $1 and severity = 'warning')::int as warnings`,
    [runId],
  );
  return rows[0]!;
}

export async function loadReportRecords(db: Queryable, runId: string): Promise<(ReportRecordRow & { file: string })[]> {
  const { rows } = await db.query<ReportRecordRow & { file: string }>(
    `select f.name as file, r.line, r.ord, r.student_number as "studentNumber", r.name, r.school_year as "schoolYear",
       r.start_date as "startDate", r.end_date as "endDate", r.eligibility, r.certified_type as "certifiedType",
       r.application_name as "applicationName", r.reference_number as "referenceNumber", r.status
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
