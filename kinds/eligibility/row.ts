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
  checkFieldCount(fields, context);
  const identifier = requiredValue(fields, context.mapping.identifier, context);
  const eligibility = readEligibility(requiredValue(fields, 'eligibility', context), context);
  const certifiedType = readCertifiedType(requiredValue(fields, 'certifiedType', context), context);
  const startDate = readDate(requiredValue(fields, 'startDate', context), 'startDate', context);
  const endText = fieldValue(fields, 'endDate', context);
  const endDate = endText === null ? null : readDate(endText, 'endDate', context);
  checkDateRange(startDate, endDate, context);

  return {
    identifier,
    eligibility,
    certifiedType,
    startDate,
    endDate,
    applicationName: fieldValue(fields, 'applicationName', context),
    referenceNumber: fieldValue(fields, 'referenceNumber', context),
    lastName: fieldValue(fields, 'lastName', context),
    firstName: fieldValue(fields, 'firstName', context),
    schoolYear: context.mapping.schoolYear,
  };
}

// Module-level functions rather than closures in readRow: it runs once per row of every file.

/** A mapped field's trimmed text, null when the mapping has no such column or the field is blank. */
function fieldValue(fields: readonly string[], field: MappingField, { columns }: EligibilityRowContext): string | null {
  const index = columns[field];
  if (index === undefined) return null;
  const text = (fields[index] ?? '').trim();
  return text === '' ? null : text;
}

function requiredValue(fields: readonly string[], field: MappingField, context: EligibilityRowContext): string {
  const text = fieldValue(fields, field, context);
  if (text !== null) return text;
  if (context.columns[field] === undefined) throw new RowError('MISSING_FIELD', `The mapping has no ${FIELD_LABELS[field]} column.`);
  throw new RowError('MISSING_FIELD', `The ${FIELD_LABELS[field]} (${describeColumn(context.mapping, field)}) is empty.`);
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

function readDate(text: string, field: 'startDate' | 'endDate', { mapping }: EligibilityRowContext): IsoDate {
  const date = parseDate(text, mapping.dateFormat);
  if (date !== null) return date;
  const label = field === 'startDate' ? 'Start date' : 'End date';
  throw new RowError(
    'INVALID_DATE',
    `${label} ${quoteValue(text)} (${describeColumn(mapping, field)}) is not a real date in the format ${mapping.dateFormat}.`,
  );
}

/** A school year's bounds and the latest end its records may carry, by school year (a file has one). */
const yearLimits = new Map<number, { start: IsoDate; end: IsoDate; lastEnd: IsoDate }>();

function limitsOf(schoolYear: number): { start: IsoDate; end: IsoDate; lastEnd: IsoDate } {
  let limits = yearLimits.get(schoolYear);
  if (!limits) {
    limits = { ...schoolYearBounds(schoolYear), lastEnd: `${String(schoolYear)}-12-31` };
    yearLimits.set(schoolYear, limits);
  }
  return limits;
}

function checkDateRange(startDate: IsoDate, endDate: IsoDate | null, { mapping: { schoolYear } }: EligibilityRowContext): void {
  const year = limitsOf(schoolYear);
  if (startDate < year.start || startDate > year.end) {
    throw new RowError(
      'DATE_RANGE',
      `Start date ${startDate} is outside school year ${String(schoolYear)} (${year.start} to ${year.end}).`,
    );
  }
  if (endDate !== null && endDate < startDate) {
    throw new RowError('DATE_RANGE', `End date ${endDate} is before the start date ${startDate}.`);
  }
  if (endDate !== null && endDate > year.lastEnd) {
    throw new RowError(
      'DATE_RANGE',
      `End date ${endDate} is after ${year.lastEnd}, the latest a school year ${String(schoolYear)} record may carry over to.`,
    );
  }
}
