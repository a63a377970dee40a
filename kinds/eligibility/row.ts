import { parseDate, schoolYearBounds, type IsoDate } from '../../domain/dates';
import { quoteValue, rowError, type Problem } from '../../domain/problems';
import { ELIGIBILITY_CODES, isEligibilityCode, type EligibilityCode } from './codes';
import { describeColumn, FIELD_LABELS, resolveColumns, type EligibilityMapping, type MappingField, type ResolvedColumns } from './mapping';

export { DEFAULT_CERTIFIED_TYPES } from './codes';

/** A valid file row, its values trimmed and translated to our codes. */
export interface EligibilityRow {
  /** The value of the mapping's identifier column, kept as text (leading zeros matter). */
  identifier: string;
  eligibility: EligibilityCode;
  certifiedType: string;
  startDate: IsoDate;
  /** null: open-ended. */
  endDate: IsoDate | null;
  applicationName: string | null;
  referenceNumber: string | null;
  lastName: string | null;
  firstName: string | null;
  schoolYear: number;
}

export type EligibilityRowErrorCode = 'WRONG_COLUMN_COUNT' | 'MISSING_FIELD' | 'INVALID_DATE' | 'DATE_RANGE' | 'UNKNOWN_CODE';

export interface EligibilityRowContext {
  mapping: Pick<EligibilityMapping, 'identifier' | 'schoolYear' | 'dateFormat' | 'columns' | 'values'>;
  columns: ResolvedColumns;
  /** From resolveColumns: the header's field count, or null for a file without a header. */
  expectedFieldCount: number | null;
  /** The district's certified types (DEFAULT_CERTIFIED_TYPES unless it has its own). */
  certifiedTypes: ReadonlySet<string> | readonly string[];
}

export type EligibilityRowResult = { ok: true; row: EligibilityRow } | { ok: false; problem: Problem };

class RowError extends Error {
  constructor(
    readonly code: EligibilityRowErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Checks one record of an eligibility file against RULES.md. The first rule a row breaks
 * is its error; checks run in this order: field count, identifier, eligibility,
 * certified type, start date, end date. Blank lines are the caller's to skip
 * (isBlankRecord in domain/delimited); passed here they fail the field count.
 */
export function parseEligibilityRow(fields: readonly string[], line: number, context: EligibilityRowContext): EligibilityRowResult {
  try {
    return { ok: true, row: readRow(fields, context) };
  } catch (error) {
    if (error instanceof RowError) return { ok: false, problem: rowError(line, error.code, error.message) };
    throw error;
  }
}

/** The reader for one file's rows: its header resolved once (staging accepted it already). */
export function eligibilityRowReader(
  mapping: EligibilityMapping,
  header: readonly string[] | null,
  district: { certifiedTypes: readonly string[] },
): (fields: readonly string[], line: number) => EligibilityRowResult {
  const resolved = resolveColumns(mapping, header);
  if (!resolved.ok) throw new Error('The header was accepted at staging but no longer resolves.');
  const context: EligibilityRowContext = {
    mapping,
    columns: resolved.columns,
    expectedFieldCount: resolved.expectedFieldCount,
    certifiedTypes: new Set(district.certifiedTypes),
  };
  return (fields, line) => parseEligibilityRow(fields, line, context);
}

function readRow(fields: readonly string[], context: EligibilityRowContext): EligibilityRow {
  const { mapping, columns } = context;
  checkFieldCount(fields, context);

  const value = (field: MappingField): string | null => {
    const index = columns[field];
    if (index === undefined) return null;
    const text = (fields[index] ?? '').trim();
    return text === '' ? null : text;
  };
  const required = (field: MappingField): string => {
    const text = value(field);
    if (text !== null) return text;
    if (columns[field] === undefined) throw new RowError('MISSING_FIELD', `The mapping has no ${FIELD_LABELS[field]} column.`);
    throw new RowError('MISSING_FIELD', `The ${FIELD_LABELS[field]} (${describeColumn(mapping, field)}) is empty.`);
  };

  const identifier = required(mapping.identifier);
  const eligibility = readEligibility(required('eligibility'), context);
  const certifiedType = readCertifiedType(required('certifiedType'), context);
  const { startDate, endDate } = readDates(required('startDate'), value('endDate'), context);

  return {
    identifier,
    eligibility,
    certifiedType,
    startDate,
    endDate,
    applicationName: value('applicationName'),
    referenceNumber: value('referenceNumber'),
    lastName: value('lastName'),
    firstName: value('firstName'),
    schoolYear: mapping.schoolYear,
  };
}

function checkFieldCount(fields: readonly string[], { columns, expectedFieldCount }: EligibilityRowContext): void {
  if (expectedFieldCount !== null) {
    if (fields.length !== expectedFieldCount) {
      throw new RowError(
        'WRONG_COLUMN_COUNT',
        `The row has ${String(fields.length)} fields, but the header has ${String(expectedFieldCount)}.`,
      );
    }
    return;
  }
  const needed = Math.max(0, ...Object.values(columns).map((index) => index + 1));
  if (fields.length < needed) {
    throw new RowError(
      'WRONG_COLUMN_COUNT',
      `The row has ${String(fields.length)} fields, but the mapping reads column ${String(needed)}.`,
    );
  }
}

/** The file's code through the mapping's table (file code → ours), else as written. */
function translate(code: string, table: Readonly<Record<string, string>> | undefined): string {
  return table !== undefined && Object.hasOwn(table, code) ? (table[code] ?? code) : code;
}

function readEligibility(code: string, { mapping }: EligibilityRowContext): EligibilityCode {
  const translated = translate(code, mapping.values.eligibility);
  if (isEligibilityCode(translated)) return translated;
  throw new RowError(
    'UNKNOWN_CODE',
    `Eligibility ${quoteValue(code)} (${describeColumn(mapping, 'eligibility')}) is not a known code; it must be ${ELIGIBILITY_CODES.join(', ')} or a code the mapping translates.`,
  );
}

function readCertifiedType(code: string, { mapping, certifiedTypes }: EligibilityRowContext): string {
  const translated = translate(code, mapping.values.certifiedType);
  const known = 'has' in certifiedTypes ? certifiedTypes.has(translated) : certifiedTypes.includes(translated);
  if (known) return translated;
  throw new RowError(
    'UNKNOWN_CODE',
    `Certified type ${quoteValue(code)} (${describeColumn(mapping, 'certifiedType')}) is not one of the district's certified types.`,
  );
}

function readDates(
  startText: string,
  endText: string | null,
  { mapping }: EligibilityRowContext,
): { startDate: IsoDate; endDate: IsoDate | null } {
  const { dateFormat, schoolYear } = mapping;
  const parse = (text: string, field: 'startDate' | 'endDate'): IsoDate => {
    const date = parseDate(text, dateFormat);
    if (date !== null) return date;
    const label = field === 'startDate' ? 'Start date' : 'End date';
    throw new RowError(
      'INVALID_DATE',
      `${label} ${quoteValue(text)} (${describeColumn(mapping, field)}) is not a real date in the format ${dateFormat}.`,
    );
  };
  const startDate = parse(startText, 'startDate');
  const endDate = endText === null ? null : parse(endText, 'endDate');

  const year = schoolYearBounds(schoolYear);
  if (startDate < year.start || startDate > year.end) {
    throw new RowError(
      'DATE_RANGE',
      `Start date ${startDate} is outside school year ${String(schoolYear)} (${year.start} to ${year.end}).`,
    );
  }
  if (endDate !== null && endDate < startDate) {
    throw new RowError('DATE_RANGE', `End date ${endDate} is before the start date ${startDate}.`);
  }
  const lastEnd = `${String(schoolYear)}-12-31`;
  if (endDate !== null && endDate > lastEnd) {
    throw new RowError(
      'DATE_RANGE',
      `End date ${endDate} is after ${lastEnd}, the latest a school year ${String(schoolYear)} record may carry over to.`,
    );
  }
  return { startDate, endDate };
}
