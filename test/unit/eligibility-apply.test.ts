import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyDecision,
  decideEligibilityRow,
  reportRecordsOf,
  type EligibilityRecord,
  type EligibilityRowValues,
} from '../../kinds/eligibility/apply';
import type { EligibilityCode } from '../../kinds/eligibility/codes';

function rec(id: string, e: EligibilityCode, c: string, start: string, end: string | null, extra: Partial<EligibilityRecord> = {}): EligibilityRecord {
  return { id, eligibility: e, certifiedType: c, startDate: start, endDate: end, applicationName: null, referenceNumber: null, ...extra };
}

function row(e: EligibilityCode, c: string, start: string, end: string | null, extra: Partial<EligibilityRowValues> = {}): EligibilityRowValues {
  return { eligibility: e, certifiedType: c, startDate: start, endDate: end, applicationName: null, referenceNumber: null, ...extra };
}

/** `STATUS e/c start..end` for each report record, to compare a decision's effect at a glance. */
function reported(records: EligibilityRecord[], r: EligibilityRowValues): string[] {
  return reportRecordsOf(decideEligibilityRow(records, r)).map(
    (x) => `${x.status} ${x.eligibility}/${x.certifiedType} ${x.startDate}..${x.endDate ?? ''}`,
  );
}

/** Applies rows in order, as a file does; returns the records and every report line. */
function applyAll(start: EligibilityRecord[], rows: EligibilityRowValues[]): { records: EligibilityRecord[]; report: string[] } {
  let records = start;
  const report: string[] = [];
  rows.forEach((r, i) => {
    const decision = decideEligibilityRow(records, r);
    records = applyDecision(records, decision, `new${i + 1}`);
    for (const x of reportRecordsOf(decision)) report.push(`${x.status} ${x.eligibility}/${x.certifiedType} ${x.startDate}..${x.endDate ?? ''}`);
  });
  return { records, report };
}

test('rule 1: the same eligibility, type and dates already exist → Existing, nothing changes', () => {
  const current = [rec('a', 'F', 'D', '2025-09-01', null)];
  const decision = decideEligibilityRow(current, row('F', 'D', '2025-09-01', null, { applicationName: 'other' }));
  assert.equal(decision.kind, 'existing');
  assert.equal(decision.rule, 1);
  assert.deepEqual(applyDecision(current, decision, 'x'), current);
  assert.deepEqual(reported(current, row('F', 'D', '2025-09-01', null)), ['Existing F/D 2025-09-01..']);
});

test('rule 2: the same eligibility and start with another type or end → that record is Updated', () => {
  const current = [rec('a', 'R', 'I', '2025-09-01', '2025-12-31', { applicationName: 'paper', referenceNumber: 'R1' })];
  const decision = decideEligibilityRow(current, row('R', 'C', '2025-09-01', '2026-01-31', { referenceNumber: 'R2' }));
  assert.equal(decision.kind, 'update');
  assert.ok(decision.kind === 'update');
  assert.equal(decision.before.id, 'a');
  assert.equal(decision.warning, null);
  // The row's application name is empty, so the record keeps its own; the reference number is replaced.
  assert.deepEqual(applyDecision(current, decision, 'x'), [
    rec('a', 'R', 'C', '2025-09-01', '2026-01-31', { applicationName: 'paper', referenceNumber: 'R2' }),
  ]);
  assert.deepEqual(reportRecordsOf(decision).map((r) => r.status), ['Updated']);
  assert.equal(reportRecordsOf(decision)[0]?.endDate, '2026-01-31');
  assert.deepEqual(reported(current, row('R', 'I', '2025-09-01', null)), ['Updated R/I 2025-09-01..']);
});

test('rule 2 comes before rule 3: a lower type for the same start updates the record', () => {
  const current = [rec('a', 'F', 'D', '2025-09-01', null)];
  assert.deepEqual(reported(current, row('F', 'I', '2025-09-01', null)), ['Updated F/I 2025-09-01..']);
});

test('rule 2 without overlaps: a later record that the longer range reaches is removed unless it outranks the row', () => {
  const current = [rec('a', 'R', 'I', '2025-09-01', '2025-10-31'), rec('b', 'S', 'I', '2025-11-01', null)];
  const { records, report } = applyAll(current, [row('R', 'I', '2025-09-01', null)]);
  assert.deepEqual(report, ['Updated R/I 2025-09-01..', 'Removed S/I 2025-11-01..']);
  assert.deepEqual(records, [rec('a', 'R', 'I', '2025-09-01', null)]);
});

test('rule 2 without overlaps: a later record that outranks the row cuts the update short, with a warning', () => {
  const current = [rec('a', 'R', 'I', '2025-09-01', '2025-10-31'), rec('b', 'F', 'D', '2026-01-01', null), rec('c', 'S', 'I', '2025-11-01', '2025-12-31')];
  const decision = decideEligibilityRow(current, row('R', 'I', '2025-09-01', null));
  assert.ok(decision.kind === 'update');
  assert.equal(decision.warning?.code, 'LOWER_BENEFIT_NOT_APPLIED');
  assert.equal(decision.warning?.outrankedBy.id, 'b');
  assert.deepEqual(applyDecision(current, decision, 'x'), [
    rec('a', 'R', 'I', '2025-09-01', '2025-12-31'),
    rec('b', 'F', 'D', '2026-01-01', null),
  ]);
  assert.deepEqual(
    reportRecordsOf(decision).map((r) => `${r.status} ${r.startDate}..${r.endDate ?? ''}`),
    ['Updated 2025-09-01..2025-12-31', 'Removed 2025-11-01..2025-12-31'],
  );
});

test('rule 2 with nothing left to change after a higher benefit is Existing with a warning', () => {
  const current = [rec('a', 'R', 'I', '2025-09-01', '2025-12-31'), rec('b', 'F', 'D', '2026-01-01', null)];
  const decision = decideEligibilityRow(current, row('R', 'I', '2025-09-01', null));
  assert.equal(decision.kind, 'outranked');
  assert.equal(decision.rule, 2);
  assert.equal(decision.warning?.code, 'LOWER_BENEFIT_NOT_APPLIED');
  assert.deepEqual(applyDecision(current, decision, 'x'), current);
  assert.deepEqual(reported(current, row('R', 'I', '2025-09-01', null)), ['Existing R/I 2025-09-01..2025-12-31']);
});

test('rule 3: an overlapping record that outranks the row → the row is Existing with LOWER_BENEFIT_NOT_APPLIED', () => {
  const current = [rec('a', 'F', 'I', '2025-09-01', '2026-06-30')];
  const decision = decideEligibilityRow(current, row('R', 'I', '2025-10-01', null));
  assert.equal(decision.kind, 'outranked');
  assert.equal(decision.rule, 3);
  assert.equal(decision.warning?.code, 'LOWER_BENEFIT_NOT_APPLIED');
  assert.equal(decision.warning?.outrankedBy.id, 'a');
  assert.match(decision.warning?.message ?? '', /F\/I/);
  assert.deepEqual(applyDecision(current, decision, 'x'), current);
  assert.deepEqual(reported(current, row('R', 'I', '2025-10-01', null)), ['Existing R/I 2025-10-01..']);
});

test('rule 4: earlier overlapping records are Ended the day before, later ones Removed, then the row is New', () => {
  const current = [
    rec('early', 'R', 'I', '2025-08-01', null),
    rec('late', 'S', 'I', '2025-11-01', '2025-11-30'),
    rec('apart', 'R', 'C', '2025-07-01', '2025-07-31'),
  ];
  const decision = decideEligibilityRow(current, row('F', 'I', '2025-10-01', null, { applicationName: 'online' }));
  assert.ok(decision.kind === 'insert');
  assert.deepEqual(decision.ended.map((e) => [e.record.id, e.endDate]), [['early', '2025-09-30']]);
  assert.deepEqual(decision.removed.map((r) => r.id), ['late']);
  assert.deepEqual(applyDecision(current, decision, 'n1'), [
    rec('apart', 'R', 'C', '2025-07-01', '2025-07-31'),
    rec('early', 'R', 'I', '2025-08-01', '2025-09-30'),
    rec('n1', 'F', 'I', '2025-10-01', null, { applicationName: 'online' }),
  ]);
  assert.deepEqual(reported(current, row('F', 'I', '2025-10-01', null)), [
    'Ended R/I 2025-08-01..2025-09-30',
    'Removed S/I 2025-11-01..2025-11-30',
    'New F/I 2025-10-01..',
  ]);
});

test('rule 4 with no records at all inserts the row', () => {
  assert.deepEqual(reported([], row('S', 'O', '2025-09-01', '2025-09-01')), ['New S/O 2025-09-01..2025-09-01']);
});

test('ranges are inclusive and a null end is open: touching ranges overlap, adjacent ones do not', () => {
  const current = [rec('a', 'F', 'I', '2025-09-01', '2025-09-30')];
  assert.deepEqual(reported(current, row('R', 'I', '2025-09-30', null)).at(-1), 'Existing R/I 2025-09-30..');
  assert.deepEqual(reported(current, row('R', 'I', '2025-10-01', null)), ['New R/I 2025-10-01..']);
  const open = [rec('a', 'F', 'I', '2025-09-01', null)];
  assert.deepEqual(reported(open, row('R', 'I', '2026-06-30', '2026-06-30')), ['Existing R/I 2026-06-30..2026-06-30']);
});

test('rank: F outranks R outranks S, whatever the certified type', () => {
  const rFree = [rec('a', 'F', 'I', '2025-09-01', null)];
  assert.equal(decideEligibilityRow(rFree, row('R', 'D', '2025-10-01', null)).kind, 'outranked');
  assert.equal(decideEligibilityRow(rFree, row('S', 'D', '2025-10-01', null)).kind, 'outranked');
  const reduced = [rec('a', 'R', 'I', '2025-09-01', null)];
  assert.equal(decideEligibilityRow(reduced, row('S', 'DN', '2025-10-01', null)).kind, 'outranked');
  assert.equal(decideEligibilityRow(reduced, row('F', 'I', '2025-10-01', null)).kind, 'insert');
  const paid = [rec('a', 'S', 'D', '2025-09-01', null)];
  assert.equal(decideEligibilityRow(paid, row('R', 'I', '2025-10-01', null)).kind, 'insert');
});

test('among equal eligibility, D and DN outrank the other types but not each other', () => {
  const direct = [rec('a', 'F', 'D', '2025-09-01', null)];
  assert.equal(decideEligibilityRow(direct, row('F', 'I', '2025-10-01', null)).kind, 'outranked');
  assert.equal(decideEligibilityRow(direct, row('F', 'DN', '2025-10-01', null)).kind, 'insert');
  const nonSnap = [rec('a', 'F', 'DN', '2025-09-01', null)];
  assert.equal(decideEligibilityRow(nonSnap, row('F', 'HS', '2025-10-01', null)).kind, 'outranked');
  const income = [rec('a', 'F', 'I', '2025-09-01', null)];
  assert.equal(decideEligibilityRow(income, row('F', 'D', '2025-10-01', null)).kind, 'insert');
  assert.equal(decideEligibilityRow(income, row('F', 'C', '2025-10-01', null)).kind, 'insert');
});

test('the outranking record named in the warning is the highest one', () => {
  const current = [rec('r', 'R', 'D', '2025-09-01', '2025-09-30'), rec('f', 'F', 'I', '2025-10-01', null)];
  const decision = decideEligibilityRow(current, row('S', 'I', '2025-09-15', null));
  assert.ok(decision.kind === 'outranked');
  assert.equal(decision.warning.outrankedBy.id, 'f');
});

test('file order: later rows see earlier ones, so the same rows in another order differ', () => {
  const free = row('F', 'I', '2025-09-01', null);
  const reduced = row('R', 'I', '2025-10-01', null);
  const freeFirst = applyAll([], [free, reduced]);
  assert.deepEqual(freeFirst.report, ['New F/I 2025-09-01..', 'Existing R/I 2025-10-01..']);
  assert.deepEqual(freeFirst.records, [rec('new1', 'F', 'I', '2025-09-01', null)]);
  const reducedFirst = applyAll([], [reduced, free]);
  assert.deepEqual(reducedFirst.report, ['New R/I 2025-10-01..', 'Removed R/I 2025-10-01..', 'New F/I 2025-09-01..']);
  assert.deepEqual(reducedFirst.records, [rec('new2', 'F', 'I', '2025-09-01', null)]);
});

test('file order: a file can step a student through benefits over the year', () => {
  const { records, report } = applyAll(
    [],
    [row('S', 'I', '2025-08-15', null), row('R', 'I', '2025-10-01', null), row('F', 'D', '2026-01-05', null), row('F', 'D', '2026-01-05', null)],
  );
  assert.deepEqual(report, [
    'New S/I 2025-08-15..',
    'Ended S/I 2025-08-15..2025-09-30',
    'New R/I 2025-10-01..',
    'Ended R/I 2025-10-01..2026-01-04',
    'New F/D 2026-01-05..',
    'Existing F/D 2026-01-05..',
  ]);
  assert.deepEqual(
    records.map((r) => `${r.eligibility}/${r.certifiedType} ${r.startDate}..${r.endDate ?? ''}`),
    ['S/I 2025-08-15..2025-09-30', 'R/I 2025-10-01..2026-01-04', 'F/D 2026-01-05..'],
  );
});

test('a decision does not change the array it was given', () => {
  const current = [rec('a', 'R', 'I', '2025-08-01', null)];
  const copy = structuredClone(current);
  const decision = decideEligibilityRow(current, row('F', 'I', '2025-10-01', null));
  applyDecision(current, decision, 'n');
  assert.deepEqual(current, copy);
});
