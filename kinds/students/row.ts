import { parseDate, type IsoDate } from '../../domain/dates';
import { isBlankRecord } from '../../domain/delimited';
import { quoteValue, rowError, type Problem } from '../../domain/problems';
import { GRADES, ROSTER_STATUS_CODES, type Grade, type RosterRowError, type RosterStatusCode } from './codes';
import { ROSTER_HEADER } from './header';

/** A roster row whose fields are all well-formed; whether it applies is decided against the roster. */
export interface RosterRow {
  line: number;
  schoolCode: string;
  studentNumber: string;
  lastName: string;
  firstName: string;
  grade: Grade;
  dateOfBirth: IsoDate;
  /** null: the row sets no username (and clears one the student had). */
  username: string | null;
  statusCode: RosterStatusCode;
}

export type RosterRowResult =
  | { ok: true; line: number; row: RosterRow }
  /** studentNumber: the student the row names, when it can be read, so a later row naming it is a duplicate. */
  | { ok: false; line: number; problem: Problem; studentNumber: string | null };

/** A row as staging hands it over: fields null when the reader could not make sense of it. */
export interface RosterStagedRow {
  line: number;
  fields: string[] | null;
  problemCode: string | null;
  problemMessage: string | null;
}

type Column = (typeof ROSTER_HEADER)[number];

const OPTIONAL: ReadonlySet<Column> = new Set(['username']);

// Longer free-text values are refused rather than stored: no SIS sends a 500-character name or student id.
// (Grade, date of birth and status have formats of their own.)
const STUDENT_ID_MAX = 40;
const MAX_LENGTH: Partial<Record<Column, number>> = { school_code: 40, student_id: STUDENT_ID_MAX, last_name: 100, first_name: 100, username: 100 };

const STATUS_NAMES = new Map<string, RosterStatusCode>([...ROSTER_STATUS_CODES.map((c) => [c, c] as const), ['IGNORE', 'I']]);

const STUDENT_ID = ROSTER_HEADER.indexOf('student_id');

class RowError extends Error {
  constructor(
    readonly code: RosterRowError,
    message: string,
  ) {
    super(message);
  }
}

/** The student a row names, if its student_id can be read at all; a malformed or blank row names none. */
export function studentNumberOf(fields: readonly string[] | null): string | null {
  const id = fields?.[STUDENT_ID]?.trim() ?? '';
  return id === '' || id.length > STUDENT_ID_MAX ? null : id;
}

/**
 * Checks one row of a roster file. The first rule a row breaks is its error, in this order: readable,
 * not blank, field count, required fields present, lengths, grade, date of birth, status.
 */
export function parseRosterRow(staged: RosterStagedRow): RosterRowResult {
  const { line, fields } = staged;
  if (fields === null) {
    return { ok: false, line, studentNumber: null, problem: rowError(line, staged.problemCode ?? 'MALFORMED_ROW', staged.problemMessage ?? 'The row could not be read.') };
  }
  try {
    return { ok: true, line, row: readRow(fields, line) };
  } catch (error) {
    if (error instanceof RowError) return { ok: false, line, studentNumber: studentNumberOf(fields), problem: rowError(line, error.code, error.message) };
    throw error;
  }
}

function readRow(fields: readonly string[], line: number): RosterRow {
  if (isBlankRecord(fields)) throw new RowError('BLANK_LINE', 'The line is empty; a roster file has no blank lines between rows.');
  const expected = ROSTER_HEADER.length;
  if (fields.length < expected) throw new RowError('MISSING_ELEMS', `The row has ${String(fields.length)} fields; a roster row has ${String(expected)}.`);
  if (fields.length > expected) throw new RowError('EXTRA_ELEMS', `The row has ${String(fields.length)} fields; a roster row has ${String(expected)}.`);

  const values = new Map(ROSTER_HEADER.map((column, index) => [column, (fields[index] ?? '').trim()]));
  const value = (column: Column): string => values.get(column) ?? '';
  for (const column of ROSTER_HEADER) {
    if (!OPTIONAL.has(column) && value(column) === '') throw new RowError('MISSING_ELEMS', `The ${column} is empty.`);
  }
  for (const column of ROSTER_HEADER) {
    const max = MAX_LENGTH[column];
    if (max !== undefined && value(column).length > max) throw new RowError('FIELD_TOO_LONG', `The ${column} is longer than ${String(max)} characters.`);
  }
  return {
    line,
    schoolCode: value('school_code'),
    studentNumber: value('student_id'),
    lastName: value('last_name'),
    firstName: value('first_name'),
    grade: readGrade(value('grade')),
    dateOfBirth: readDateOfBirth(value('date_of_birth')),
    username: value('username') === '' ? null : value('username'),
    statusCode: readStatus(value('status')),
  };
}

/** K, or 1-12 (a leading zero, as some SIS exports write 05, is accepted). */
function readGrade(text: string): Grade {
  const grade = /^[Kk]$/.test(text) ? 'K' : /^0?\d{1,2}$/.test(text) ? String(Number(text)) : text;
  if ((GRADES as readonly string[]).includes(grade)) return grade as Grade;
  throw new RowError('GRADE_FORMAT', `Grade ${quoteValue(text)} is not K or 1-12.`);
}

function readDateOfBirth(text: string): IsoDate {
  const date = parseDate(text, 'MM/DD/YYYY');
  if (date !== null) return date;
  throw new RowError('DOB_FORMAT', 'The date_of_birth is not a real date in the format MM/DD/YYYY.');
}

function readStatus(text: string): RosterStatusCode {
  const code = STATUS_NAMES.get(text.toUpperCase());
  if (code !== undefined) return code;
  throw new RowError('STATUS_FORMAT', `Status ${quoteValue(text)} is not A, D, X, I or IGNORE.`);
}
