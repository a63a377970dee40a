import type { StoredReportRecord } from '../db/queries/reports';
import type { Problem } from '../domain/problems';
import type { Kind } from '../kinds';
import { csvLine } from '../domain/csv';

/** A report record as the API shows it: its file and line, then the kind's fields. */
export function presentRecord(kind: Kind, record: StoredReportRecord): Record<string, unknown> {
  return { file: record.file, line: record.line, ...kind.report.present(record) };
}

/** Records, then problems, one CSV line each under one header (API.md: the report as CSV). */
export function reportCsv(kind: Kind, records: StoredReportRecord[], problems: Problem[]): string {
  const { columns } = kind.report;
  const blanks = columns.map(() => '');
  let body = csvLine(['type', 'file', 'line', ...columns, 'severity', 'code', 'message']);
  for (const record of records) {
    const values = kind.report.present(record);
    body += csvLine(['record', record.file, record.line, ...columns.map((column) => values[column]), '', '', '']);
  }
  for (const p of problems) body += csvLine(['problem', p.file, p.line, ...blanks, p.severity, p.code, p.message]);
  return body;
}
