import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkRosterHeader, ROSTER_HEADER } from '../../kinds/students/header';

const HEADER = 'school_code,student_id,last_name,first_name,grade,date_of_birth,username,status'.split(',');

function mismatch(header: string[] | null): string {
  const check = checkRosterHeader(header);
  assert.equal(check.ok, false, `expected ${JSON.stringify(header)} to be refused`);
  assert.ok(!check.ok);
  assert.equal(check.problem.code, 'HEADER_MISMATCH');
  assert.equal(check.problem.severity, 'error');
  return check.problem.message;
}

test('the exact header passes, and it is the one RULES.md names', () => {
  assert.deepEqual([...ROSTER_HEADER], HEADER);
  assert.deepEqual(checkRosterHeader(HEADER), { ok: true });
});

test('spaces around a name are not a mismatch', () => {
  assert.deepEqual(checkRosterHeader(HEADER.map((h) => ` ${h} `)), { ok: true });
});

test('two columns swapped → HEADER_MISMATCH naming the first wrong column', () => {
  const swapped = [...HEADER];
  [swapped[2], swapped[3]] = [swapped[3]!, swapped[2]!];
  assert.match(mismatch(swapped), /Column 3 of the header is "first_name"; it must be last_name/);
});

test('another spelling or case → HEADER_MISMATCH', () => {
  assert.match(mismatch(HEADER.map((h) => (h === 'student_id' ? 'Student_ID' : h))), /Column 2/);
  assert.match(mismatch(HEADER.map((h) => (h === 'date_of_birth' ? 'dob' : h))), /"dob"/);
});

test('a missing column or an extra one → HEADER_MISMATCH', () => {
  assert.match(mismatch(HEADER.slice(0, 7)), /7 columns; column 8 must be status/);
  assert.match(mismatch([...HEADER, 'email']), /9 columns; a roster file has 8/);
});

test('no header at all → HEADER_MISMATCH; the message says nothing was applied', () => {
  assert.match(mismatch(null), /no header.*nothing in the file was applied/);
});
