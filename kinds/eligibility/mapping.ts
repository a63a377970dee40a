import { z } from 'zod';
import { DATE_FORMATS } from '../../domain/dates';
import type { Problem } from '../../domain/problems';
import { ELIGIBILITY_CODES } from './codes';

/** The fields a mapping can read from a file. */
export const MAPPING_FIELDS = [
  'studentNumber',
  'stateId',
  'personId',
  'eligibility',
  'certifiedType',
  'startDate',
  'endDate',
  'applicationName',
  'referenceNumber',
  'lastName',
  'firstName',
] as const;
export type MappingField = (typeof MAPPING_FIELDS)[number];

export const IDENTIFIER_FIELDS = ['studentNumber', 'stateId', 'personId'] as const;
export type IdentifierField = (typeof IDENTIFIER_FIELDS)[number];

/** Human names for messages. */
export const FIELD_LABELS: Record<MappingField, string> = {
  studentNumber: 'student number',
  stateId: 'state ID',
  personId: 'person ID',
  eligibility: 'eligibility',
  certifiedType: 'certified type',
  startDate: 'start date',
  endDate: 'end date',
  applicationName: 'application name',
  referenceNumber: 'reference number',
  lastName: 'last name',
  firstName: 'first name',
};

/** A header name when the file has a header row, else a 1-based column position. */
const columnReference = z.union([z.string().trim().min(1).max(200), z.number().int().min(1).max(10_000)]);

const columnsSchema = z.strictObject(
  Object.fromEntries(MAPPING_FIELDS.map((field) => [field, columnReference.optional()])) as Record<
    MappingField,
    z.ZodOptional<typeof columnReference>
  >,
);

const fileCode = z.string().trim().min(1).max(50);

/**
 * Translations of the codes a file uses, keyed by the file's code, giving ours:
 * `{"FREE": "F", "REDUCED": "R", "PAID": "S"}` reads `FREE` in the file as our `F`.
 * A value the table does not list is taken as it is and must then be one of our codes.
 */
const valuesSchema = z.strictObject({
  eligibility: z.record(fileCode, z.enum(ELIGIBILITY_CODES)).optional(),
  certifiedType: z.record(fileCode, z.string().trim().min(1).max(10)).optional(),
});

const REQUIRED_COLUMNS: readonly MappingField[] = ['eligibility', 'certifiedType'];

/** The body of `POST /api/mappings` (API.md), for the eligibility kind. */
export const eligibilityMappingSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(80),
    schoolYear: z.number().int().min(2000).max(2100),
    format: z.enum(['csv', 'tab']),
    hasHeader: z.boolean().default(true),
    dateFormat: z.enum(DATE_FORMATS),
    identifier: z.enum(IDENTIFIER_FIELDS),
    encoding: z.enum(['utf8', 'latin1']).optional(),
    columns: columnsSchema.describe(
      'Where each field is read: a header name when hasHeader, else a 1-based column position. The identifier column, eligibility and certifiedType are required; startDate and endDate make the mapping schedulable.',
    ),
    values: valuesSchema
      .default({})
      .describe('Code translations: each key is a code as the file writes it, its value our code, e.g. {"FREE": "F"}. Unlisted codes are read as our codes.'),
  })
  .superRefine((mapping, ctx) => {
    for (const field of MAPPING_FIELDS) {
      const reference = mapping.columns[field];
      if (reference === undefined) continue;
      if (mapping.hasHeader && typeof reference !== 'string') {
        ctx.addIssue({ code: 'custom', path: ['columns', field], message: 'must be a header name, because hasHeader is true' });
      } else if (!mapping.hasHeader && typeof reference !== 'number') {
        ctx.addIssue({
          code: 'custom',
          path: ['columns', field],
          message: 'must be a 1-based column position, because hasHeader is false',
        });
      }
    }
    for (const field of [mapping.identifier, ...REQUIRED_COLUMNS]) {
      if (mapping.columns[field] === undefined) {
        const why = field === mapping.identifier ? `it is the identifier` : 'every row needs it';
        ctx.addIssue({ code: 'custom', path: ['columns', field], message: `must be mapped, because ${why}` });
      }
    }
  });

export type EligibilityMapping = z.output<typeof eligibilityMappingSchema>;
export type EligibilityMappingInput = z.input<typeof eligibilityMappingSchema>;

/** Only a mapping that reads both dates can drive a scheduled import (422 `MAPPING_NOT_SCHEDULABLE` otherwise). */
export function isSchedulable(mapping: Pick<EligibilityMapping, 'columns'>): boolean {
  return mapping.columns.startDate !== undefined && mapping.columns.endDate !== undefined;
}

export function delimiterOf(mapping: Pick<EligibilityMapping, 'format'>): ',' | '\t' {
  return mapping.format === 'tab' ? '\t' : ',';
}

/** 0-based field index of each mapped field. */
export type ResolvedColumns = Partial<Record<MappingField, number>>;

export type ColumnResolution =
  | {
      ok: true;
      columns: ResolvedColumns;
      /** Fields every row must have: the header's count; null without a header (rows need the highest mapped position). */
      expectedFieldCount: number | null;
    }
  | { ok: false; problem: Problem };

function fileError(code: string, message: string): ColumnResolution {
  return { ok: false, problem: { line: null, severity: 'error', code, message } };
}

/**
 * Where each mapped field sits in the file. With a header, names match after trimming,
 * exactly or else ignoring case; a name absent from the header (MISSING_COLUMN) or found
 * twice (DUPLICATE_COLUMN) fails the file. Without a header, `header` is ignored.
 */
export function resolveColumns(
  mapping: Pick<EligibilityMapping, 'hasHeader' | 'columns'>,
  header: readonly string[] | null,
): ColumnResolution {
  const mapped = MAPPING_FIELDS.flatMap((field) => {
    const reference = mapping.columns[field];
    return reference === undefined ? [] : [{ field, reference }];
  });
  if (!mapping.hasHeader) {
    const columns: ResolvedColumns = {};
    for (const { field, reference } of mapped) columns[field] = Number(reference) - 1;
    return { ok: true, columns, expectedFieldCount: null };
  }
  if (header === null) return fileError('MISSING_HEADER', 'The file has no header row, but the mapping expects one.');

  const names = header.map((name) => name.trim());
  const columns: ResolvedColumns = {};
  const missing: string[] = [];
  for (const { field, reference } of mapped) {
    const wanted = String(reference);
    let matches = indexesWhere(names, (name) => name === wanted);
    if (matches.length === 0) matches = indexesWhere(names, (name) => name.toLowerCase() === wanted.toLowerCase());
    if (matches.length > 1) {
      return fileError('DUPLICATE_COLUMN', `The header names column ${JSON.stringify(wanted)} more than once, so the ${FIELD_LABELS[field]} is ambiguous.`);
    }
    if (matches[0] === undefined) missing.push(JSON.stringify(wanted));
    else columns[field] = matches[0];
  }
  if (missing.length > 0) {
    const list = missing.join(', ');
    return fileError('MISSING_COLUMN', `The header has no column named ${list}, which the mapping reads.`);
  }
  return { ok: true, columns, expectedFieldCount: header.length };
}

function indexesWhere(names: readonly string[], predicate: (name: string) => boolean): number[] {
  const indexes: number[] = [];
  names.forEach((name, index) => {
    if (predicate(name)) indexes.push(index);
  });
  return indexes;
}

/** How a mapped field is named in messages: `column "Start"` or `column 4`. */
export function describeColumn(mapping: Pick<EligibilityMapping, 'columns'>, field: MappingField): string {
  const reference = mapping.columns[field];
  return typeof reference === 'string' ? `column ${JSON.stringify(reference)}` : `column ${String(reference)}`;
}
