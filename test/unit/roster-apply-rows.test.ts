import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyRosterRows, type RosterOrderState, type RosterStudentState, type RosterWorld } from '../../kinds/students/apply-rows';
import { parseRosterRow, studentNumberOf } from '../../kinds/students/row';

const ENTERPRISE = 'ent';
const REGULAR = 'reg';

/** `student_id,status[,username]` lines become rows of school LHS; a line starting with `!` is given as written. */
function rows(...lines: string[]) {
  return lines.map((text, i) => {
    const fields = text.startsWith('!') ? text.slice(1).split(',') : (() => {
      const [id, status, username = ''] = text.split(',');
      return ['LHS', id!, `Last${id}`, `First${id}`, '5', '01/02/2014', username, status!];
    })();
    return parseRosterRow({ line: i + 2, fields, problemCode: null, problemMessage: null });
  });
}

function world(options: { enterprise?: number | null; regular?: number; students?: Partial<RosterStudentState>[]; results: ReturnType<typeof rows> }): RosterWorld {
  const orders: RosterOrderState[] = [];
  if (options.enterprise !== null) orders.push({ id: ENTERPRISE, kind: 'enterprise', purchased: options.enterprise ?? 10, held: 0 });
  orders.push({ id: REGULAR, kind: 'regular', purchased: options.regular ?? 10, held: 0 });
  const students = new Map<string, RosterStudentState>();
  for (const s of options.students ?? []) {
    const student = { studentNumber: s.studentNumber!, id: `id-${s.studentNumber!}`, status: s.status ?? null, orderId: s.orderId ?? null, username: s.username ?? null };
    students.set(student.studentNumber, student);
    if (student.status === 'active') orders.find((o) => o.id === student.orderId)!.held += 1;
  }
  const usernameOwners = new Map([...students.values()].filter((s) => s.username).map((s) => [s.username!.toLowerCase(), s.studentNumber]));
  const firstLines = new Map<string, number>();
  for (const r of options.results) {
    const n = r.ok ? r.row.studentNumber : r.studentNumber;
    if (n !== null && !firstLines.has(n)) firstLines.set(n, r.line);
  }
  return { orders, students, schoolCodes: new Set(['LHS']), usernameKeys: new Map(), usernameOwners, firstLines };
}

const outcomes = (r: ReturnType<typeof applyRosterRows>) => r.rows.map((x) => ('error' in x ? `${x.line}:${x.error}` : `${x.line}:${x.outcome}`));
const heldOf = (r: ReturnType<typeof applyRosterRows>, id: string) => r.orders.find((o) => o.id === id)?.held;

test('rows apply in file order: a later row sees what an earlier one did', () => {
  const results = rows('1,A,ana', '2,X,ANA', '3,X,bo');
  const r = applyRosterRows(world({ results }), results);
  assert.deepEqual(outcomes(r), ['2:added', '3:DUPLICATE_USERNAME', '4:added'], 'student 1 created on line 2 holds "ana" for line 3');
});

test('the holding bin runs out in file order: later rows fail MISSING_LICENSES, earlier ones keep their licences', () => {
  const results = rows('1,A', '2,A', '3,X', '4,A');
  const r = applyRosterRows(world({ enterprise: 2, results }), results);
  assert.deepEqual(outcomes(r), ['2:added', '3:added', '4:added', '5:MISSING_LICENSES']);
  assert.equal(heldOf(r, ENTERPRISE), 2);
  assert.deepEqual(r.students.map((s) => s.studentNumber), ['1', '2', '3'], 'the failed row writes nothing');
});

test('a deactivation frees a licence for a later row of the same file', () => {
  const results = rows('1,D', '2,A');
  const r = applyRosterRows(world({ enterprise: 1, students: [{ studentNumber: '1', status: 'active', orderId: ENTERPRISE }], results }), results);
  assert.deepEqual(outcomes(r), ['2:deactivated', '3:added']);
  assert.equal(heldOf(r, ENTERPRISE), undefined, 'held ends where it was (1 of 1), so there is nothing to write');
});

test('no enterprise order: rows that need one fail MISSING_LICENSES, a deactivation on a regular order still applies', () => {
  const results = rows('1,X', '2,D');
  const r = applyRosterRows(world({ enterprise: null, students: [{ studentNumber: '2', status: 'active', orderId: REGULAR }], results }), results);
  assert.deepEqual(outcomes(r), ['2:MISSING_LICENSES', '3:deactivated']);
  assert.equal(heldOf(r, REGULAR), 0);
});

test('DUPLICATE_ID: the first row naming a student counts, even when it failed; later ones fail whatever else is wrong', () => {
  const results = rows('1,A', '!LHS,1,L,F,5,bad,,A', '2,D', '2,X', '!LHS,2,L,F,99,01/02/2014,,A');
  const r = applyRosterRows(world({ results }), results);
  assert.deepEqual(outcomes(r), ['2:added', '3:DUPLICATE_ID', '4:STUDENT_NOT_FOUND', '5:DUPLICATE_ID', '6:DUPLICATE_ID']);
  assert.match(r.problems[0]!.message, /already named on line 2/);
});

test('DUPLICATE_ID across chunks: a first line from an earlier chunk makes this chunk\'s row a duplicate', () => {
  const results = rows('7,A');
  const w = world({ results });
  const r = applyRosterRows({ ...w, firstLines: new Map([['7', 1]]) }, results);
  assert.deepEqual(outcomes(r), ['2:DUPLICATE_ID']);
});

test('DUPLICATE_USERNAME: another student holds it (any case); a student may keep its own; a freed one can be taken', () => {
  const results = rows('1,A,BUSY', '2,I,mine', '3,A,old', '4,A,old');
  const students = [
    { studentNumber: '9', status: 'active' as const, orderId: ENTERPRISE, username: 'busy' },
    { studentNumber: '2', status: 'active' as const, orderId: ENTERPRISE, username: 'mine' },
    { studentNumber: '5', status: 'active' as const, orderId: ENTERPRISE, username: 'old' },
  ];
  const r = applyRosterRows(world({ students, results }), results);
  assert.deepEqual(outcomes(r), ['2:DUPLICATE_USERNAME', '3:updated', '4:DUPLICATE_USERNAME', '5:DUPLICATE_USERNAME']);
  const freed = rows('5,I,new', '3,A,old');
  const r2 = applyRosterRows(world({ students, results: freed }), freed);
  assert.deepEqual(outcomes(r2), ['2:updated', '3:added'], 'student 5 gave "old" up on an earlier row');
});

test('SCHOOL_ERR: a school code the district does not have', () => {
  const results = rows('!XHS,1,L,F,5,01/02/2014,,A');
  assert.deepEqual(outcomes(applyRosterRows(world({ results }), results)), ['2:SCHOOL_ERR']);
});

test('moving from a regular order: its licence goes back there, one comes from the holding bin', () => {
  const results = rows('1,A', '2,I');
  const students = [
    { studentNumber: '1', status: 'active' as const, orderId: REGULAR },
    { studentNumber: '2', status: 'active' as const, orderId: REGULAR },
  ];
  const r = applyRosterRows(world({ enterprise: 1, students, results }), results);
  assert.deepEqual(outcomes(r), ['2:updated', '3:MISSING_LICENSES']);
  assert.equal(heldOf(r, REGULAR), 1);
  assert.equal(heldOf(r, ENTERPRISE), 1);
  assert.deepEqual(r.records[0], { line: 2, studentNumber: '1', name: 'Last1, First1', statusCode: 'A', outcome: 'updated', orderBefore: REGULAR, orderAfter: ENTERPRISE });
});

test('summary: each applied row once by outcome, each failed row in errors', () => {
  const results = rows('1,A', '2,X', '3,A', '4,D', '5,I', '6,D', '[', '!', '7,X');
  const students = [
    { studentNumber: '3', status: 'deactivated' as const, orderId: ENTERPRISE },
    { studentNumber: '4', status: 'active' as const, orderId: ENTERPRISE },
    { studentNumber: '5', status: 'active' as const, orderId: ENTERPRISE },
    { studentNumber: '7', status: 'active' as const, orderId: ENTERPRISE },
  ];
  const r = applyRosterRows(world({ students, results }), results);
  assert.deepEqual(r.summary, { added: 2, activated: 1, deactivated: 1, updated: 1, errors: 4 });
  assert.equal(r.records.length, 5);
  assert.equal(r.problems.length, 4);
  assert.deepEqual(r.problems.map((p) => p.code), ['STUDENT_NOT_FOUND', 'MISSING_ELEMS', 'BLANK_LINE', 'STUDENT_EXISTS']);
});

test('studentNumberOf reads the student_id column only when it is there', () => {
  assert.equal(studentNumberOf(['LHS', ' 12 ']), '12');
  assert.equal(studentNumberOf(['LHS']), null);
  assert.equal(studentNumberOf(null), null);
});
