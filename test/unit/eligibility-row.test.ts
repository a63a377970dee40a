import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eligibilityMappingSchema, resolveColumns, type EligibilityMappingInput } from '../../kinds/eligibility/mapping';
import {
  DEFAULT_CERTIFIED_TYPES,
  parseEligibilityRow,
  type EligibilityRowContext,
  type EligibilityRowResult,
} from '../../kinds/eligibility/row';
import { API_EXAMPLE_MAPPING } from '../support/api-example-mapping';

const HEADER = ['Student ID', 'Status', 'Type', 'Start', 'End', 'App', 'Ref', 'Last', 'First'];

function contextFor(overrides: Partial<EligibilityMappingInput> = {}, header: string[] | null = HEADER): EligibilityRowContext {
  const mapping = eligibilityMappingSchema.parse({
    ...API_EXAMPLE_MAPPING,
    values: { ...API_EXAMPLE_MAPPING.values, certifiedType: { DIRECT: 'D' } },
    ...overrides,
  });
  const resolved = resolveColumns(mapping, header);
  assert.ok(resolved.ok);
  return { mapping, columns: resolved.columns, expectedFieldCount: resolved.expectedFieldCount, certifiedTypes: DEFAULT_CERTIFIED_TYPES };
}

const CONTEXT = contextFor();

/** A row in HEADER order; fields not given are the defaults below. */
function row(values: Partial<Record<'id' | 'status' | 'type' | 'start' | 'end' | 'app' | 'ref' | 'last' | 'first', string>> = {}): string[] {
  const v = { id: '000123', status: 'F', type: 'D', start: '09/01/2025', end: '', app: '', ref: '', last: 'Smith', first: 'Jane', ...values };
  return [v.id, v.status, v.type, v.start, v.end, v.app, v.ref, v.last, v.first];
}

function errorCode(result: EligibilityRowResult): string {
  assert.equal(result.ok, false, 'expected a row error');
  return result.ok ? '' : result.problem.code;
}

test('a valid row keeps identifiers as text and trims values', () => {
  const result = parseEligibilityRow(row({ id: ' 000123 ', end: '06/30/2026', app: ' Online ', ref: 'R-7' }), 7, CONTEXT);
  assert.deepEqual(result, {
    ok: true,
    row: {
      identifier: '000123',
      eligibility: 'F',
      certifiedType: 'D',
      startDate: '2025-09-01',
      endDate: '2026-06-30',
      applicationName: 'Online',
      referenceNumber: 'R-7',
      lastName: 'Smith',
      firstName: 'Jane',
      schoolYear: 2026,
    },
  });
});

test('an empty end date is open-ended and empty optional values are null', () => {
  const result = parseEligibilityRow(row({ end: '  ', app: '', last: '' }), 2, CONTEXT);
  assert.ok(result.ok);
  assert.equal(result.row.endDate, null);
  assert.equal(result.row.applicationName, null);
  assert.equal(result.row.lastName, null);
});

test('codes are translated through the mapping (file code → ours); our own codes pass as they are', () => {
  const translated = parseEligibilityRow(row({ status: 'REDUCED', type: 'DIRECT' }), 2, CONTEXT);
  assert.ok(translated.ok);
  assert.equal(translated.row.eligibility, 'R');
  assert.equal(translated.row.certifiedType, 'D');
  const plain = parseEligibilityRow(row({ status: 'S', type: 'HS' }), 2, CONTEXT);
  assert.ok(plain.ok);
  assert.equal(plain.row.eligibility, 'S');
  assert.equal(plain.row.certifiedType, 'HS');
});

test('WRONG_COLUMN_COUNT: fewer or more fields than the header', () => {
  const short = parseEligibilityRow(row().slice(0, 8), 3, CONTEXT);
  assert.equal(errorCode(short), 'WRONG_COLUMN_COUNT');
  assert.ok(!short.ok);
  assert.deepEqual({ line: short.problem.line, severity: short.problem.severity }, { line: 3, severity: 'error' });
  assert.equal(errorCode(parseEligibilityRow([...row(), 'extra'], 3, CONTEXT)), 'WRONG_COLUMN_COUNT');
  assert.equal(errorCode(parseEligibilityRow([''], 3, CONTEXT)), 'WRONG_COLUMN_COUNT');
});

test('WRONG_COLUMN_COUNT without a header: the row must reach the highest mapped position', () => {
  const context = contextFor(
    { hasHeader: false, columns: { studentNumber: 1, eligibility: 2, certifiedType: 3, startDate: 4, endDate: 6 } },
    null,
  );
  assert.equal(errorCode(parseEligibilityRow(['1', 'F', 'D', '09/01/2025', 'x'], 1, context)), 'WRONG_COLUMN_COUNT');
  const ok = parseEligibilityRow(['1', 'F', 'D', '09/01/2025', 'x', '', 'more'], 1, context);
  assert.ok(ok.ok);
  assert.equal(ok.row.endDate, null);
});

test('MISSING_FIELD: identifier, eligibility, certified type or start date empty', () => {
  for (const empty of [{ id: ' ' }, { status: '' }, { type: '' }, { start: '' }]) {
    const result = parseEligibilityRow(row(empty), 4, CONTEXT);
    assert.equal(errorCode(result), 'MISSING_FIELD', JSON.stringify(empty));
  }
  const result = parseEligibilityRow(row({ id: '' }), 4, CONTEXT);
  assert.ok(!result.ok);
  assert.match(result.problem.message, /student number \(column "Student ID"\) is empty/);
});

test('UNKNOWN_CODE: an eligibility or certified type that is not known', () => {
  const eligibility = parseEligibilityRow(row({ status: 'FULL' }), 5, CONTEXT);
  assert.equal(errorCode(eligibility), 'UNKNOWN_CODE');
  assert.ok(!eligibility.ok);
  assert.match(eligibility.problem.message, /"FULL"/);
  assert.equal(errorCode(parseEligibilityRow(row({ status: 'free' }), 5, CONTEXT)), 'UNKNOWN_CODE');
  assert.equal(errorCode(parseEligibilityRow(row({ type: 'X' }), 5, CONTEXT)), 'UNKNOWN_CODE');
  const districtList = { ...CONTEXT, certifiedTypes: new Set(['D', 'X']) };
  assert.equal(parseEligibilityRow(row({ type: 'X' }), 5, districtList).ok, true);
  assert.equal(errorCode(parseEligibilityRow(row({ type: 'HS' }), 5, districtList)), 'UNKNOWN_CODE');
});

test('INVALID_DATE: wrong shape or impossible date, start or end', () => {
  for (const dates of [{ start: '2025-09-01' }, { start: '9/1/2025' }, { start: '02/30/2026' }, { end: '13/01/2026' }, { end: 'soon' }]) {
    assert.equal(errorCode(parseEligibilityRow(row(dates), 6, CONTEXT)), 'INVALID_DATE', JSON.stringify(dates));
  }
  const result = parseEligibilityRow(row({ start: '02/30/2026' }), 6, CONTEXT);
  assert.ok(!result.ok);
  assert.match(result.problem.message, /"02\/30\/2026".*MM\/DD\/YYYY/);
});

test('each date format reads its own shape', () => {
  const iso = contextFor({ dateFormat: 'YYYY-MM-DD' });
  const isoRow = parseEligibilityRow(row({ start: '2025-09-01', end: '2026-01-15' }), 2, iso);
  assert.ok(isoRow.ok);
  assert.deepEqual([isoRow.row.startDate, isoRow.row.endDate], ['2025-09-01', '2026-01-15']);
  const short = contextFor({ dateFormat: 'M/D/YYYY' });
  const shortRow = parseEligibilityRow(row({ start: '9/1/2025', end: '1/15/2026' }), 2, short);
  assert.ok(shortRow.ok);
  assert.deepEqual([shortRow.row.startDate, shortRow.row.endDate], ['2025-09-01', '2026-01-15']);
});

test('DATE_RANGE: the start lies in the school year', () => {
  assert.equal(parseEligibilityRow(row({ start: '07/01/2025' }), 2, CONTEXT).ok, true);
  assert.equal(parseEligibilityRow(row({ start: '06/30/2026' }), 2, CONTEXT).ok, true);
  assert.equal(errorCode(parseEligibilityRow(row({ start: '06/30/2025' }), 2, CONTEXT)), 'DATE_RANGE');
  assert.equal(errorCode(parseEligibilityRow(row({ start: '07/01/2026' }), 2, CONTEXT)), 'DATE_RANGE');
});

test('DATE_RANGE: start ≤ end ≤ December 31 of the school year', () => {
  assert.equal(parseEligibilityRow(row({ start: '09/01/2025', end: '09/01/2025' }), 2, CONTEXT).ok, true);
  assert.equal(parseEligibilityRow(row({ start: '09/01/2025', end: '12/31/2026' }), 2, CONTEXT).ok, true);
  assert.equal(errorCode(parseEligibilityRow(row({ start: '09/01/2025', end: '08/31/2025' }), 2, CONTEXT)), 'DATE_RANGE');
  assert.equal(errorCode(parseEligibilityRow(row({ start: '09/01/2025', end: '01/01/2027' }), 2, CONTEXT)), 'DATE_RANGE');
});

test('the identifier may be the state ID or person ID column', () => {
  const context = contextFor({
    identifier: 'stateId',
    columns: { stateId: 'Student ID', eligibility: 'Status', certifiedType: 'Type', startDate: 'Start', endDate: 'End' },
  });
  const result = parseEligibilityRow(row({ id: '0042' }), 2, context);
  assert.ok(result.ok);
  assert.equal(result.row.identifier, '0042');
});

test('the default certified types are those of RULES.md', () => {
  assert.deepEqual([...DEFAULT_CERTIFIED_TYPES], ['D', 'C', 'I', 'T', 'HS', 'F', 'H', 'R', 'M', 'O', 'DN']);
});
