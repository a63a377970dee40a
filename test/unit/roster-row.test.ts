import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRosterRow, type RosterRowResult } from '../../kinds/students/row';

type Values = Partial<Record<'school' | 'id' | 'last' | 'first' | 'grade' | 'dob' | 'username' | 'status', string>>;

/** A roster row in header order; fields not given are the defaults below. */
function fields(values: Values = {}): string[] {
  const v = { school: 'LHS', id: '000123', last: 'Lopez', first: 'Ana', grade: '7', dob: '03/14/2012', username: 'alopez', status: 'A', ...values };
  return [v.school, v.id, v.last, v.first, v.grade, v.dob, v.username, v.status];
}

const parse = (f: string[] | null, line = 5) => parseRosterRow({ line, fields: f, problemCode: null, problemMessage: null });

function failure(result: RosterRowResult): { code: string; line: number | null; message: string; studentNumber: string | null } {
  assert.equal(result.ok, false, 'expected a row error');
  assert.ok(!result.ok);
  return { code: result.problem.code, line: result.problem.line, message: result.problem.message, studentNumber: result.studentNumber };
}

test('a valid row: values trimmed, identifiers kept as text, the date as ISO', () => {
  const result = parse(fields({ id: ' 000123 ', last: ' Lopez ', username: ' alopez ' }), 9);
  assert.deepEqual(result, {
    ok: true,
    line: 9,
    row: { line: 9, schoolCode: 'LHS', studentNumber: '000123', lastName: 'Lopez', firstName: 'Ana', grade: '7', dateOfBirth: '2012-03-14', username: 'alopez', statusCode: 'A' },
  });
});

test('grades K and 1-12 are accepted (k and a leading zero too) and written K, 1 … 12', () => {
  const grade = (text: string) => {
    const result = parse(fields({ grade: text }));
    assert.ok(result.ok, text);
    return result.row.grade;
  };
  assert.deepEqual(['K', 'k', '1', '05', '12'].map(grade), ['K', 'K', '1', '5', '12']);
});

test('status codes A, D, X, I and IGNORE (any case); IGNORE is I', () => {
  const status = (text: string) => {
    const result = parse(fields({ status: text }));
    assert.ok(result.ok, text);
    return result.row.statusCode;
  };
  assert.deepEqual(['A', 'D', 'X', 'I', 'IGNORE', 'ignore', 'a'].map(status), ['A', 'D', 'X', 'I', 'I', 'I', 'A']);
});

test('an empty username is no username', () => {
  const result = parse(fields({ username: '  ' }));
  assert.ok(result.ok);
  assert.equal(result.row.username, null);
});

test('a row the reader could not read keeps its code and message', () => {
  const result = parseRosterRow({ line: 4, fields: null, problemCode: 'MALFORMED_ROW', problemMessage: 'A quote is never closed.' });
  assert.deepEqual(failure(result), { code: 'MALFORMED_ROW', line: 4, message: 'A quote is never closed.', studentNumber: null });
  assert.equal(failure(parseRosterRow({ line: 4, fields: null, problemCode: null, problemMessage: null })).code, 'MALFORMED_ROW');
});

test('BLANK_LINE: an empty line, or one of spaces, inside the file', () => {
  assert.equal(failure(parse([''], 3)).code, 'BLANK_LINE');
  assert.equal(failure(parse(['   '], 3)).line, 3);
});

test('MISSING_ELEMS: too few fields', () => {
  const error = failure(parse(fields().slice(0, 6)));
  assert.equal(error.code, 'MISSING_ELEMS');
  assert.match(error.message, /6 fields; a roster row has 8/);
  assert.equal(error.studentNumber, '000123', 'the row still names its student, for DUPLICATE_ID');
});

test('MISSING_ELEMS: an empty required field, named', () => {
  for (const [key, column] of [['school', 'school_code'], ['id', 'student_id'], ['last', 'last_name'], ['first', 'first_name'], ['grade', 'grade'], ['dob', 'date_of_birth'], ['status', 'status']] as const) {
    const error = failure(parse(fields({ [key]: ' ' })));
    assert.equal(error.code, 'MISSING_ELEMS', column);
    assert.match(error.message, new RegExp(`The ${column} is empty`));
  }
});

test('EXTRA_ELEMS: more fields than the header (an unquoted comma shifts the columns)', () => {
  const error = failure(parse(['LHS', '000123', "O'Brien", ' Jr', 'Pat', '7', '03/14/2012', 'pob', 'A']));
  assert.equal(error.code, 'EXTRA_ELEMS');
});

test('FIELD_TOO_LONG: a value longer than its column allows', () => {
  assert.equal(failure(parse(fields({ last: 'x'.repeat(101) }))).code, 'FIELD_TOO_LONG');
  const longId = failure(parse(fields({ id: '9'.repeat(41) })));
  assert.equal(longId.code, 'FIELD_TOO_LONG');
  assert.equal(longId.studentNumber, null, 'an over-long id names no student');
});

test('GRADE_FORMAT: not K or 1-12', () => {
  for (const grade of ['0', '13', 'PK', '1st', '-1']) assert.equal(failure(parse(fields({ grade }))).code, 'GRADE_FORMAT', grade);
});

test('DOB_FORMAT: not MM/DD/YYYY, or not a real date', () => {
  for (const dob of ['2012-03-14', '3/14/2012', '14/03/2012', '02/30/2012', '02/29/2013', '03/14/12']) {
    const error = failure(parse(fields({ dob })));
    assert.equal(error.code, 'DOB_FORMAT', dob);
    assert.ok(!error.message.includes(dob), 'the message does not repeat a date of birth');
  }
  assert.ok(parse(fields({ dob: '02/29/2012' })).ok, 'a leap day is a real date');
});

test('STATUS_FORMAT: anything but A, D, X, I, IGNORE', () => {
  for (const status of ['B', 'Active', 'IGN', 'AX']) assert.equal(failure(parse(fields({ status }))).code, 'STATUS_FORMAT', status);
});

test('checks run in order: the first rule a row breaks is its error', () => {
  assert.equal(failure(parse(fields({ last: '', grade: '13' }))).code, 'MISSING_ELEMS');
  assert.equal(failure(parse(fields({ grade: '13', dob: 'x', status: 'B' }))).code, 'GRADE_FORMAT');
  assert.equal(failure(parse(fields({ dob: 'x', status: 'B' }))).code, 'DOB_FORMAT');
});
