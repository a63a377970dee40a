/** A roster row's status code: activate (or create active), deactivate, create deactivated, ignore status. */
export const ROSTER_STATUS_CODES = ['A', 'D', 'X', 'I'] as const;
export type RosterStatusCode = (typeof ROSTER_STATUS_CODES)[number];

/** What a roster student is; null in the database for a student that only eligibility knows. */
export type RosterStatus = 'active' | 'deactivated';

export const GRADES = ['K', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12'] as const;
export type Grade = (typeof GRADES)[number];

export type OrderKind = 'enterprise' | 'regular';

/** Every error a roster row can end with (MALFORMED_ROW comes from the reader, before the kind sees the row). */
export const ROSTER_ROW_ERRORS = [
  'MALFORMED_ROW',
  'BLANK_LINE',
  'MISSING_ELEMS',
  'EXTRA_ELEMS',
  'FIELD_TOO_LONG',
  'GRADE_FORMAT',
  'DOB_FORMAT',
  'STATUS_FORMAT',
  'DUPLICATE_ID',
  'SCHOOL_ERR',
  'STUDENT_EXISTS',
  'STUDENT_NOT_FOUND',
  'DUPLICATE_USERNAME',
  'MISSING_LICENSES',
] as const;
export type RosterRowError = (typeof ROSTER_ROW_ERRORS)[number];
