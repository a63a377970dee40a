import type { EligibilityMappingInput } from '../../kinds/eligibility/mapping';

/** The mapping of API.md's example: a CSV with a header, US dates, codes translated from words. */
export const API_EXAMPLE_MAPPING = {
  name: 'Third Party 2026',
  schoolYear: 2026,
  format: 'csv',
  hasHeader: true,
  dateFormat: 'MM/DD/YYYY',
  identifier: 'studentNumber',
  columns: {
    studentNumber: 'Student ID',
    eligibility: 'Status',
    certifiedType: 'Type',
    startDate: 'Start',
    endDate: 'End',
    applicationName: 'App',
    referenceNumber: 'Ref',
    lastName: 'Last',
    firstName: 'First',
  },
  values: { eligibility: { FREE: 'F', REDUCED: 'R', PAID: 'S' }, certifiedType: {} },
} as const satisfies EligibilityMappingInput;
