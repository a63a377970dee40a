import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  eligibilityMappingSchema,
  isSchedulable,
  resolveColumns,
  type EligibilityMapping,
  type EligibilityMappingInput,
} from '../../kinds/eligibility/mapping';
import { API_EXAMPLE_MAPPING } from '../support/api-example-mapping';

const apiExample: EligibilityMappingInput = API_EXAMPLE_MAPPING;

function parse(input: unknown): EligibilityMapping {
  return eligibilityMappingSchema.parse(input);
}

function issuesOf(input: unknown): string[] {
  const result = eligibilityMappingSchema.safeParse(input);
  assert.equal(result.success, false, 'expected the mapping to be refused');
  return result.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
}

test('the API.md example is a valid mapping', () => {
  const mapping = parse(apiExample);
  assert.equal(mapping.name, 'Third Party 2026');
  assert.deepEqual(mapping.values.eligibility, { FREE: 'F', REDUCED: 'R', PAID: 'S' });
  assert.equal(isSchedulable(mapping), true);
});

test('values translate file codes (keys) to our codes (values); our side must be F, R or S', () => {
  const issues = issuesOf({ ...apiExample, values: { eligibility: { F: 'FREE' } } });
  assert.ok(issues.some((i) => i.startsWith('values.eligibility.F')), issues.join('\n'));
});

test('unknown fields are refused, at the top and inside columns and values', () => {
  assert.ok(issuesOf({ ...apiExample, colour: 'blue' }).length > 0);
  assert.ok(issuesOf({ ...apiExample, columns: { ...apiExample.columns, middleName: 'M' } }).length > 0);
  assert.ok(issuesOf({ ...apiExample, values: { grade: {} } }).length > 0);
});

test('name, school year, format, date format and identifier are checked', () => {
  assert.ok(issuesOf({ ...apiExample, name: '' }).some((i) => i.startsWith('name')));
  assert.ok(issuesOf({ ...apiExample, name: 'x'.repeat(81) }).some((i) => i.startsWith('name')));
  assert.ok(issuesOf({ ...apiExample, schoolYear: 1999 }).some((i) => i.startsWith('schoolYear')));
  assert.ok(issuesOf({ ...apiExample, schoolYear: 2026.5 }).some((i) => i.startsWith('schoolYear')));
  assert.ok(issuesOf({ ...apiExample, format: 'xlsx' }).some((i) => i.startsWith('format')));
  assert.ok(issuesOf({ ...apiExample, dateFormat: 'DD.MM.YYYY' }).some((i) => i.startsWith('dateFormat')));
  assert.ok(issuesOf({ ...apiExample, identifier: 'email' }).some((i) => i.startsWith('identifier')));
  assert.ok(issuesOf({ ...apiExample, encoding: 'utf16' }).some((i) => i.startsWith('encoding')));
  assert.equal(parse({ ...apiExample, encoding: 'latin1' }).encoding, 'latin1');
});

test('the identifier column, eligibility and certified type must be mapped', () => {
  const { studentNumber: _s, ...withoutIdentifier } = apiExample.columns;
  assert.deepEqual(
    issuesOf({ ...apiExample, columns: withoutIdentifier }).map((i) => i.split(':')[0]),
    ['columns.studentNumber'],
  );
  const { eligibility: _e, certifiedType: _c, ...withoutCodes } = apiExample.columns;
  assert.deepEqual(
    issuesOf({ ...apiExample, columns: withoutCodes }).map((i) => i.split(':')[0]),
    ['columns.eligibility', 'columns.certifiedType'],
  );
  const stateIdMapping = parse({ ...apiExample, identifier: 'stateId', columns: { ...withoutIdentifier, stateId: 'SSID' } });
  assert.equal(stateIdMapping.identifier, 'stateId');
});

test('columns are header names with a header and 1-based positions without', () => {
  assert.ok(issuesOf({ ...apiExample, columns: { ...apiExample.columns, eligibility: 2 } }).some((i) => i.startsWith('columns.eligibility')));
  const positional = { studentNumber: 1, eligibility: 2, certifiedType: 3, startDate: 4, endDate: 5 };
  assert.equal(parse({ ...apiExample, hasHeader: false, columns: positional }).columns.startDate, 4);
  assert.ok(issuesOf({ ...apiExample, hasHeader: false }).length >= 9);
  assert.ok(issuesOf({ ...apiExample, hasHeader: false, columns: { ...positional, endDate: 0 } }).some((i) => i.startsWith('columns.endDate')));
});

test('a mapping without both dates is valid but not schedulable', () => {
  const { endDate: _e, ...withoutEnd } = apiExample.columns;
  const mapping = parse({ ...apiExample, columns: withoutEnd });
  assert.equal(isSchedulable(mapping), false);
});

test('resolveColumns finds header names (trimmed, case-insensitive when not exact)', () => {
  const mapping = parse(apiExample);
  const header = ['First', 'Last', ' student id ', 'Status', 'Type', 'Start', 'End', 'App', 'Ref', 'Extra'];
  const resolved = resolveColumns(mapping, header);
  assert.ok(resolved.ok);
  assert.equal(resolved.expectedFieldCount, 10);
  assert.deepEqual(resolved.columns, {
    studentNumber: 2,
    eligibility: 3,
    certifiedType: 4,
    startDate: 5,
    endDate: 6,
    applicationName: 7,
    referenceNumber: 8,
    lastName: 1,
    firstName: 0,
  });
});

test('resolveColumns prefers an exact name over a case-insensitive one', () => {
  const mapping = parse({ ...apiExample, columns: { studentNumber: 'ID', eligibility: 'Status', certifiedType: 'Type' } });
  const resolved = resolveColumns(mapping, ['id', 'ID', 'Status', 'Type']);
  assert.ok(resolved.ok);
  assert.equal(resolved.columns.studentNumber, 1);
});

test('resolveColumns names every missing header in one MISSING_COLUMN problem', () => {
  const resolved = resolveColumns(parse(apiExample), ['Student ID', 'Status', 'Type', 'Begin', 'Finish']);
  assert.equal(resolved.ok, false);
  assert.ok(!resolved.ok);
  assert.equal(resolved.problem.code, 'MISSING_COLUMN');
  assert.equal(resolved.problem.severity, 'error');
  assert.equal(resolved.problem.line, null);
  for (const name of ['"Start"', '"End"', '"App"', '"Ref"', '"Last"', '"First"']) assert.ok(resolved.problem.message.includes(name), name);
});

test('resolveColumns refuses an ambiguous header and a missing header row', () => {
  const duplicate = resolveColumns(parse(apiExample), ['Student ID', 'Status', 'Status', 'Type', 'Start', 'End', 'App', 'Ref', 'Last', 'First']);
  assert.ok(!duplicate.ok);
  assert.equal(duplicate.problem.code, 'DUPLICATE_COLUMN');
  const none = resolveColumns(parse(apiExample), null);
  assert.ok(!none.ok);
  assert.equal(none.problem.code, 'MISSING_HEADER');
});

test('resolveColumns turns positions into indexes without a header', () => {
  const mapping = parse({ ...apiExample, hasHeader: false, columns: { studentNumber: 1, eligibility: 3, certifiedType: 2, startDate: 7 } });
  const resolved = resolveColumns(mapping, null);
  assert.ok(resolved.ok);
  assert.deepEqual(resolved.columns, { studentNumber: 0, eligibility: 2, certifiedType: 1, startDate: 6 });
  assert.equal(resolved.expectedFieldCount, null);
});
