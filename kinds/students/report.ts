import type { ReportRecord, ReportShape, SummaryCount } from '../kind';
import type { RosterReportRecord } from './apply-rows';

/** API.md's roster summary: applied rows by what happened to the student, then failed rows. */
export const ROSTER_SUMMARY: readonly SummaryCount[] = [
  { key: 'added', status: 'added' },
  { key: 'updated', status: 'updated' },
  { key: 'activated', status: 'activated' },
  { key: 'deactivated', status: 'deactivated' },
  { key: 'errors', severity: 'error' },
];

/** One record per applied row: its outcome is the common status column, the rest the kind's own fields. */
export function rosterReportRecord(record: RosterReportRecord): ReportRecord {
  return {
    line: record.line,
    ord: 0,
    student: record.studentNumber,
    status: record.outcome,
    data: { name: record.name, statusCode: record.statusCode, orderBefore: record.orderBefore, orderAfter: record.orderAfter },
  };
}

/** The roster's `records`, and the CSV columns between `line` and `severity`. */
export const ROSTER_REPORT: ReportShape = {
  columns: ['studentNumber', 'name', 'statusCode', 'outcome', 'orderBefore', 'orderAfter'],
  present: ({ student, status, data }) => ({
    studentNumber: student,
    name: data.name,
    statusCode: data.statusCode,
    outcome: status,
    orderBefore: data.orderBefore,
    orderAfter: data.orderAfter,
  }),
};
