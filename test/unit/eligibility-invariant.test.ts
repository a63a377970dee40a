import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addDays, rangesOverlap } from '../../domain/dates';
import {
  applyDecision,
  decideEligibilityRow,
  reportRecordsOf,
  type EligibilityRecord,
  type EligibilityRowValues,
} from '../../kinds/eligibility/apply';
import { ELIGIBILITY_CODES, outranks } from '../../kinds/eligibility/codes';

/** A small seeded generator (mulberry32), so that a failure can be replayed from its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TYPES = ['D', 'DN', 'I', 'C', 'HS'];

function randomRow(next: () => number): EligibilityRowValues {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  // A narrow window of dates, so that rows overlap, touch and share start dates often.
  const startDate = addDays('2025-09-01', Math.floor(next() * 40));
  const endDate = next() < 0.25 ? null : addDays(startDate, Math.floor(next() * 30));
  return {
    eligibility: pick(ELIGIBILITY_CODES),
    certifiedType: pick(TYPES),
    startDate,
    endDate,
    applicationName: next() < 0.5 ? null : pick(['web', 'paper']),
    referenceNumber: null,
  };
}

function assertNoOverlaps(records: readonly EligibilityRecord[], context: string): void {
  for (const r of records) assert.ok(r.endDate === null || r.startDate <= r.endDate, `${context}: ${r.id} ends before it starts`);
  for (let i = 0; i < records.length; i++) {
    for (let j = i + 1; j < records.length; j++) {
      const a = records[i]!;
      const b = records[j]!;
      assert.ok(!rangesOverlap(a.startDate, a.endDate, b.startDate, b.endDate), `${context}: ${a.id} overlaps ${b.id}`);
    }
  }
}

test('after any sequence of rows, no two records of the student overlap, no higher benefit is lost, and the report matches the change', () => {
  for (let seed = 1; seed <= 400; seed++) {
    const next = random(seed);
    let records: EligibilityRecord[] = [];
    for (let i = 0; i < 40; i++) {
      const row = randomRow(next);
      const context = `seed ${seed}, row ${i + 1} ${JSON.stringify(row)}`;
      const decision = decideEligibilityRow(records, row);
      const after = applyDecision(records, decision, `s${seed}r${i}`);
      assertNoOverlaps(after, context);

      const statuses = reportRecordsOf(decision).map((r) => r.status);
      const count = (status: string) => statuses.filter((s) => s === status).length;
      assert.equal(after.length, records.length + count('New') - count('Removed'), context);
      assert.equal(statuses.length, 1 + count('Ended') + count('Removed'), context);
      if (decision.kind === 'existing' || decision.kind === 'outranked') assert.deepEqual(after, records, context);
      // A row never ends or removes a benefit that outranks it.
      for (const lost of reportRecordsOf(decision).filter((r) => r.status === 'Ended' || r.status === 'Removed')) {
        assert.ok(!outranks(lost, row), `${context}: ${lost.status} a higher benefit`);
      }

      // The same row again changes nothing: what it asked for is there, or a higher benefit still blocks it.
      const again = decideEligibilityRow(after, row);
      assert.ok(again.kind === 'existing' || again.kind === 'outranked', `${context}: repeated row gave ${again.kind}`);
      records = after;
    }
  }
});
