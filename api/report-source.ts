import { loadProblemsAfter, loadReportRecordsAfter, type PagedProblem, type PagedReportRecord, type ProblemKey, type RecordKey } from '../db/queries/reports';
import type { Queryable } from '../db/queries/queryable';

/** Where a report is read from, a batch at a time after a key: the database, or a fake in unit tests. */
export interface ReportSource {
  records(after: RecordKey | null, limit: number): Promise<PagedReportRecord[]>;
  problems(after: ProblemKey | null, limit: number): Promise<PagedProblem[]>;
}

export function databaseReportSource(db: Queryable, runId: string): ReportSource {
  return {
    records: (after, limit) => loadReportRecordsAfter(db, runId, after, limit),
    problems: (after, limit) => loadProblemsAfter(db, runId, after, limit),
  };
}

export function recordKey(record: PagedReportRecord): RecordKey {
  return { ordinal: record.ordinal, line: record.line, ord: record.ord };
}

export function problemKey(problem: PagedProblem): ProblemKey {
  return { ordinal: problem.ordinal, line: problem.line ?? 0, id: problem.id };
}
