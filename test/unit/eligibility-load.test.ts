import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectedRecordsFingerprint, loadRow, priorLines } from '../support/eligibility-load';

const outcomes = (rows: number, hits: boolean) => {
  const counts: Record<string, number> = {};
  for (let i = 0; i < rows; i++) counts[loadRow(i, hits).outcome] = (counts[loadRow(i, hits).outcome] ?? 0) + 1;
  return counts;
};

test('the load file: 1% bad rows, and with hits 20% of rows meeting a record of each kind (Existing, Updated, Ended, Removed)', () => {
  assert.deepEqual(outcomes(10_000, true), { Existing: 500, Updated: 500, Ended: 500, Removed: 500, bad: 100, New: 7900 });
  assert.deepEqual(outcomes(10_000, false), { bad: 100, New: 9900 });
  assert.equal([...priorLines(10_000)].length, 2000);
});

test('the expected records: one per good row, and the ended record kept beside its successor', () => {
  assert.equal(expectedRecordsFingerprint(1000, false).records, 990);
  assert.equal(expectedRecordsFingerprint(1000, true).records, 990 + 50);
  assert.notEqual(expectedRecordsFingerprint(1000, true).md5, expectedRecordsFingerprint(1000, false).md5);
});
