import type { ReportShape, SummaryCount } from '../kind';
import type { EligibilityReportRecord } from './apply';

/** API.md's eligibility summary: record outcomes, then error and warning rows. */
export const ELIGIBILITY_SUMMARY: readonly SummaryCount[] = [
  { key: 'new', status: 'New' },
  { key: 'updated', status: 'Updated' },
  { key: 'ended', status: 'Ended' },
  { key: 'removed', status: 'Removed' },
  { key: 'existing', status: 'Existing' },
  { key: 'errors', severity: 'error' },
  { key: 'warnings', severity: 'warning' },
];

/** The kind's own fields of a report record (the student number and status are common columns). */
export function eligibilityRecordData(name: string, schoolYear: number, record: EligibilityReportRecord): Record<string, unknown> {
  return {
    name,
    schoolYear,
    startDate: record.startDate,
    endDate: record.endDate,
    eligibility: record.eligibility,
    certifiedType: record.certifiedType,
    applicationName: record.applicationName,
    referenceNumber: record.referenceNumber,
  };
}

/** API.md's eligibility `records`, and the CSV columns between `line` and `severity`. */
export const ELIGIBILITY_REPORT: ReportShape = {
  columns: ['name', 'studentNumber', 'schoolYear', 'startDate', 'endDate', 'eligibility', 'certifiedType', 'applicationName', 'referenceNumber', 'status'],
  present: ({ student, status, data }) => ({
    name: data.name,
    studentNumber: student,
    schoolYear: data.schoolYear,
    startDate: data.startDate,
    endDate: data.endDate,
    eligibility: data.eligibility,
    certifiedType: data.certifiedType,
    applicationName: data.applicationName,
    referenceNumber: data.referenceNumber,
    status,
  }),
};
