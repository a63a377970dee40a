import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KIND_NAMES, kindOf, UnknownKindError } from '../../kinds';
import { eligibilityKind } from '../../kinds/eligibility';
import { studentsKind } from '../../kinds/students';

test('the registry resolves each kind by its name', () => {
  assert.deepEqual(KIND_NAMES, ['eligibility', 'students']);
  assert.equal(kindOf('eligibility'), eligibilityKind);
  assert.equal(kindOf('students'), studentsKind);
  for (const name of KIND_NAMES) assert.equal(kindOf(name).name, name);
});

test('the registry refuses a kind it does not know, whatever the name looks like', () => {
  // names that would resolve on a plain object lookup, or by case
  for (const name of ['payroll', 'Eligibility', 'Students', '', 'toString', '__proto__', 'constructor', 'hasOwnProperty']) {
    assert.throws(
      () => kindOf(name),
      (error: unknown) => error instanceof UnknownKindError && error.code === 'KIND_NOT_SUPPORTED',
      JSON.stringify(name),
    );
  }
});

test('each kind presents a report record with exactly its CSV columns, in order', () => {
  for (const name of KIND_NAMES) {
    const { report } = kindOf(name);
    const presented = report.present({ file: 'f.csv', line: 2, ord: 0, student: '000123', status: 'New', data: {} });
    assert.deepEqual(Object.keys(presented), [...report.columns], name);
  }
});

test('each kind names every summary key once', () => {
  for (const name of KIND_NAMES) {
    const keys = kindOf(name).summary.map((c) => c.key);
    assert.equal(new Set(keys).size, keys.length, name);
  }
});
