import type { StoredReportRecord } from '../db/queries/reports';
import type { Problem } from '../domain/problems';
import type { Kind } from '../kinds';
import { csvLine } from '../domain/csv';

/** A report record as the API shows it: its file and line, then the kind's fields. */
export function presentRecord(kind: Kind, record: StoredReportRecord): Record<string, unknown> {
  return { file: record.file, line: record.line, ...kind.report.present(record) };
}

/** A problem as the API shows it (a stored one carries its paging key too). */
export function presentProblem(problem: Problem): Problem {
  return { file: problem.file, line: problem.line, severity: problem.severity, code: problem.code, message: problem.message };
}

// Records, then problems, one CSV line each under one header (API.md: the report as CSV).

export function reportCsvHeader(kind: Kind): string {
  return csvLine(['type', 'file', 'line', ...kind.report.columns, 'severity', 'code', 'message']);
}

export function recordCsvLine(kind: Kind, record: StoredReportRecord): string {
  const values = kind.report.present(record);
  return csvLine(['record', record.file, record.line, ...kind.report.columns.map((column) => values[column]), '', '', '']);
}

export function problemCsvLine(kind: Kind, problem: Problem): string {
  return csvLine(['problem', problem.file, problem.line, ...kind.report.columns.map(() => ''), problem.severity, problem.code, problem.message]);
}
