import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { associateStudent } from '../../kinds/students/associate-student';
import { withTransaction } from '../../db/pool';
import {
  addStudents,
  applyChunk,
  beginRosterRun,
  createRosterDistrict,
  licenceViolations,
  rosterLine,
  rosterSnapshot,
  stagedRosterRows,
  type RosterDistrict,
} from '../support/roster';
import { startTestSystem, type TestSystem } from '../support/system';

const STUDENTS = Array.from({ length: 10 }, (_, i) => `s${String(i)}`);
const STARTS = ['none', 'none', 'eligibility', 'active-enterprise', 'active-regular', 'deactivated-enterprise', 'deactivated-regular'] as const;

const rowArb = fc.oneof(
  { weight: 12, arbitrary: fc.record({ student: fc.constantFrom(...STUDENTS), code: fc.constantFrom('A', 'D', 'X', 'I', 'IGNORE'), school: fc.oneof({ weight: 9, arbitrary: fc.constant('LHS') }, { weight: 1, arbitrary: fc.constant('NOPE') }), username: fc.constantFrom('', '', 'u1', 'U1', 'u2') }) },
  { weight: 1, arbitrary: fc.constant(null) },
);
const scenarioArb = fc.record({
  enterpriseLicenses: fc.integer({ min: 0, max: 4 }),
  regularLicenses: fc.integer({ min: 0, max: 3 }),
  starts: fc.array(fc.constantFrom(...STARTS), { minLength: STUDENTS.length, maxLength: STUDENTS.length }),
  runs: fc.array(fc.record({ mode: fc.constantFrom('run', 'run', 'test'), chunks: fc.array(fc.array(rowArb, { maxLength: 4 }), { minLength: 1, maxLength: 3 }) }), { minLength: 1, maxLength: 3 }),
});

/** The licence rules on real PostgreSQL under random files and runs, and under concurrent imports. */
describe('roster licences are conserved', () => {
  let system: TestSystem;
  let districts = 0;

  before(async () => {
    system = await startTestSystem();
  });
  after(() => system?.stop());

  /** The API's view of the orders: free + held = purchased, nothing negative. */
  async function orderBooks(district: RosterDistrict): Promise<string[]> {
    const orders = (await system.call('GET', '/api/orders', { key: district.key })).body as { id: string; purchased: number; held: number; free: number }[];
    return orders.filter((o) => o.free + o.held !== o.purchased || o.free < 0 || o.held < 0).map((o) => `order ${o.id}: ${JSON.stringify(o)}`);
  }

  it('after every chunk of random files: free + held = purchased, held = active students, active exactly when holding a licence; a dry run changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        const district = await createRosterDistrict(system, `Property ${++districts}`, {
          schools: ['LHS', 'WMS'],
          enterpriseLicenses: scenario.enterpriseLicenses,
          regularLicenses: { WMS: scenario.regularLicenses },
        });
        // starting students; an association the licences cannot cover leaves the student as eligibility knows it
        await addStudents(system, district, STUDENTS.filter((_, i) => scenario.starts[i] !== 'none').map((studentNumber) => ({ studentNumber, status: null })));
        for (const [i, start] of scenario.starts.entries()) {
          const [status, on] = start.split('-') as ['active' | 'deactivated', 'enterprise' | 'regular'];
          if (on === undefined) continue;
          const orderId = on === 'enterprise' ? district.enterpriseOrderId : district.regularOrderIds.WMS!;
          await system.call('POST', `/api/orders/${orderId}/students`, { key: district.key, body: { studentNumber: STUDENTS[i], status } });
        }
        assert.deepEqual(await licenceViolations(system.db, district.districtId), []);

        for (const run of scenario.runs) {
          const { runId, runFileId } = await beginRosterRun(system.db, district.districtId, run.mode);
          const before = await rosterSnapshot(system.db, district.districtId);
          let line = 2;
          for (const rows of run.chunks) {
            const lines = rows.map((r) => (r === null ? '' : rosterLine(r.student, r.code, r.school, r.username)));
            const result = await applyChunk(system.db, { districtId: district.districtId, runId, runFileId, mode: run.mode, rows: stagedRosterRows(lines, line) });
            line += lines.length;
            assert.equal(result.outcomes.length, lines.length, 'one outcome per row');
            assert.deepEqual(await licenceViolations(system.db, district.districtId), []);
            assert.deepEqual(await orderBooks(district), []);
          }
          if (run.mode === 'test') assert.deepEqual(await rosterSnapshot(system.db, district.districtId), before, 'a dry run changed real data');
        }
      }),
      { numRuns: 30 },
    );
  });

  it('two roster imports and an association at once, over the same students: no deadlock, no licence lost or made', async () => {
    const district = await createRosterDistrict(system, 'Concurrent', { schools: ['LHS', 'WMS'], enterpriseLicenses: 12, regularLicenses: { WMS: 6 } });
    const numbers = Array.from({ length: 30 }, (_, i) => `c${String(i).padStart(2, '0')}`);
    await addStudents(
      system,
      district,
      numbers.slice(0, 20).map((studentNumber, i) => ({
        studentNumber,
        status: i % 3 === 0 ? ('active' as const) : i % 3 === 1 ? ('deactivated' as const) : null,
        orderId: i % 2 === 0 ? district.enterpriseOrderId : district.regularOrderIds.WMS!,
      })),
    );
    const codes = ['A', 'D', 'X', 'I'];
    for (let round = 0; round < 8; round++) {
      // overlapping halves, in opposite orders, with codes that differ per round
      const first = numbers.slice(0, 20).map((n, i) => rosterLine(n, codes[(i + round) % 4]!));
      const second = numbers.slice(10).reverse().map((n, i) => rosterLine(n, codes[(i * 3 + round) % 4]!));
      const runs = await Promise.all([beginRosterRun(system.db, district.districtId, 'run'), beginRosterRun(system.db, district.districtId, 'run')]);
      const settled = await Promise.allSettled([
        applyChunk(system.db, { districtId: district.districtId, ...runs[0], mode: 'run', rows: stagedRosterRows(first) }),
        applyChunk(system.db, { districtId: district.districtId, ...runs[1], mode: 'run', rows: stagedRosterRows(second) }),
        withTransaction(system.db, (tx) => associateStudent(tx, district.districtId, { orderId: district.regularOrderIds.WMS!, studentNumber: numbers[15 + (round % 5)]!, status: 'active' })).catch((error: Error) => {
          if (error.name !== 'MissingLicensesError') throw error;
        }),
      ]);
      const failures = settled.filter((s) => s.status === 'rejected').map((s) => String((s as PromiseRejectedResult).reason));
      assert.deepEqual(failures, [], `round ${String(round)}`);
      assert.deepEqual(await licenceViolations(system.db, district.districtId), [], `round ${String(round)}`);
    }
    const { rows } = await system.db.query(`select count(*)::int as n from students where district_id = $1 and status = 'active'`, [district.districtId]);
    assert.ok(rows[0].n > 0, 'the rounds left active students to count');
  });
});
