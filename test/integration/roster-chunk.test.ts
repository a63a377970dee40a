import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { withTransaction } from '../../db/pool';
import { claimChunk } from '../../db/queries/chunks';
import { clearRosterDryRun } from '../../db/queries/roster-dry-run';
import { clearRosterFileStudents } from '../../db/queries/roster-file-students';
import { applyRosterChunk, type RosterChunkResult } from '../../kinds/students/apply-chunk';
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

type Start = 'absent' | 'eligibility only' | 'active on enterprise' | 'active on regular' | 'deactivated on enterprise' | 'deactivated on regular';

/** applyRosterChunk on real PostgreSQL: the status table cell by cell, duplicates across chunks, retries, dry runs. */
describe('applyRosterChunk', () => {
  let system: TestSystem;
  let districts = 0;

  before(async () => {
    system = await startTestSystem();
  });
  after(() => system?.stop());

  /** A district with schools LHS and WMS, 2 enterprise licences and a regular order of 2 for WMS. */
  const newDistrict = () => createRosterDistrict(system, `Cells ${++districts}`, { schools: ['LHS', 'WMS'], enterpriseLicenses: 2, regularLicenses: { WMS: 2 } });

  async function startingWith(start: Start): Promise<RosterDistrict> {
    const district = await newDistrict();
    const regular = district.regularOrderIds.WMS!;
    const setups: Record<Start, Parameters<typeof addStudents>[2]> = {
      absent: [],
      'eligibility only': [{ studentNumber: '100', status: null }],
      'active on enterprise': [{ studentNumber: '100', status: 'active' }],
      'active on regular': [{ studentNumber: '100', status: 'active', orderId: regular }],
      'deactivated on enterprise': [{ studentNumber: '100', status: 'deactivated' }],
      'deactivated on regular': [{ studentNumber: '100', status: 'deactivated', orderId: regular }],
    };
    await addStudents(system, district, setups[start]);
    return district;
  }

  /** Applies one row for student 100 with `code` to a student in state `start`; returns what the row did and what the database holds. */
  async function cell(start: Start, code: string) {
    const district = await startingWith(start);
    const { runId, runFileId } = await beginRosterRun(system.db, district.districtId, 'run');
    const result = await applyChunk(system.db, { districtId: district.districtId, runId, runFileId, mode: 'run', rows: stagedRosterRows([rosterLine('100', code)]) });
    const { rows } = await system.db.query('select last_name, status, order_id from students where district_id = $1 and student_number = $2', [district.districtId, '100']);
    const orders = await system.db.query<{ id: string; held: number }>('select id, held from orders where district_id = $1', [district.districtId]);
    const heldOf = (id: string) => orders.rows.find((o) => o.id === id)!.held;
    const order = rows[0]?.order_id === district.enterpriseOrderId ? 'enterprise' : rows[0]?.order_id === district.regularOrderIds.WMS ? 'regular' : null;
    assert.deepEqual(await licenceViolations(system.db, district.districtId), []);
    return {
      row: result.outcomes[0],
      student: rows[0] ? { updated: rows[0].last_name === 'Last100', status: rows[0].status, order } : null,
      held: { enterprise: heldOf(district.enterpriseOrderId), regular: heldOf(district.regularOrderIds.WMS!) },
      result,
    };
  }

  it('active × A: data updated; on a regular order, moved to enterprise (1 licence back, 1 from the holding bin)', async () => {
    const onRegular = await cell('active on regular', 'A');
    assert.deepEqual(onRegular.row, { line: 2, outcome: 'updated' });
    assert.deepEqual(onRegular.student, { updated: true, status: 'active', order: 'enterprise' });
    assert.deepEqual(onRegular.held, { enterprise: 1, regular: 0 });
    const onEnterprise = await cell('active on enterprise', 'A');
    assert.deepEqual([onEnterprise.row, onEnterprise.student, onEnterprise.held], [{ line: 2, outcome: 'updated' }, { updated: true, status: 'active', order: 'enterprise' }, { enterprise: 1, regular: 0 }]);
  });

  it('active × D: deactivated, data updated, the licence back to its own order', async () => {
    const c = await cell('active on regular', 'D');
    assert.deepEqual(c.row, { line: 2, outcome: 'deactivated' });
    assert.deepEqual(c.student, { updated: true, status: 'deactivated', order: 'regular' });
    assert.deepEqual(c.held, { enterprise: 0, regular: 0 });
  });

  it('active × X: STUDENT_EXISTS, nothing updated', async () => {
    const c = await cell('active on enterprise', 'X');
    assert.deepEqual(c.row, { line: 2, error: 'STUDENT_EXISTS' });
    assert.deepEqual(c.student, { updated: false, status: 'active', order: 'enterprise' });
    assert.deepEqual(c.held, { enterprise: 1, regular: 0 });
  });

  it('active × I: as A — on a regular order, moved to enterprise with its licence', async () => {
    const c = await cell('active on regular', 'I');
    assert.deepEqual(c.row, { line: 2, outcome: 'updated' });
    assert.deepEqual(c.student, { updated: true, status: 'active', order: 'enterprise' });
    assert.deepEqual(c.held, { enterprise: 1, regular: 0 });
  });

  it('deactivated × A: activated on the enterprise order, 1 licence from the holding bin', async () => {
    const c = await cell('deactivated on regular', 'A');
    assert.deepEqual(c.row, { line: 2, outcome: 'activated' });
    assert.deepEqual(c.student, { updated: true, status: 'active', order: 'enterprise' });
    assert.deepEqual(c.held, { enterprise: 1, regular: 0 });
  });

  it('deactivated × D: data updated, associated with enterprise, no licence', async () => {
    const c = await cell('deactivated on regular', 'D');
    assert.deepEqual(c.row, { line: 2, outcome: 'updated' });
    assert.deepEqual(c.student, { updated: true, status: 'deactivated', order: 'enterprise' });
    assert.deepEqual(c.held, { enterprise: 0, regular: 0 });
  });

  it('deactivated × X: STUDENT_EXISTS, nothing updated', async () => {
    const c = await cell('deactivated on enterprise', 'X');
    assert.deepEqual(c.row, { line: 2, error: 'STUDENT_EXISTS' });
    assert.deepEqual(c.student, { updated: false, status: 'deactivated', order: 'enterprise' });
  });

  it('deactivated × I: data updated, associated with enterprise, no licence', async () => {
    const c = await cell('deactivated on regular', 'I');
    assert.deepEqual(c.row, { line: 2, outcome: 'updated' });
    assert.deepEqual(c.student, { updated: true, status: 'deactivated', order: 'enterprise' });
    assert.deepEqual(c.held, { enterprise: 0, regular: 0 });
  });

  it('absent × A: created active on enterprise with a licence from the holding bin (a student only eligibility knew becomes a roster student)', async () => {
    const c = await cell('absent', 'A');
    assert.deepEqual(c.row, { line: 2, outcome: 'added' });
    assert.deepEqual(c.student, { updated: true, status: 'active', order: 'enterprise' });
    assert.deepEqual(c.held, { enterprise: 1, regular: 0 });
    assert.deepEqual(c.result.records, [{ line: 2, studentNumber: '100', name: 'Last100, First100', statusCode: 'A', outcome: 'added', orderBefore: null, orderAfter: c.result.records[0]!.orderAfter }]);
    const known = await cell('eligibility only', 'A');
    assert.deepEqual([known.row, known.student, known.held], [{ line: 2, outcome: 'added' }, { updated: true, status: 'active', order: 'enterprise' }, { enterprise: 1, regular: 0 }]);
  });

  it('absent × D: STUDENT_NOT_FOUND, nothing created', async () => {
    const c = await cell('absent', 'D');
    assert.deepEqual(c.row, { line: 2, error: 'STUDENT_NOT_FOUND' });
    assert.equal(c.student, null);
  });

  it('absent × X: created deactivated on enterprise, no licence', async () => {
    const c = await cell('absent', 'X');
    assert.deepEqual(c.row, { line: 2, outcome: 'added' });
    assert.deepEqual(c.student, { updated: true, status: 'deactivated', order: 'enterprise' });
    assert.deepEqual(c.held, { enterprise: 0, regular: 0 });
  });

  it('absent × I: STUDENT_NOT_FOUND; a student only eligibility knows is absent too and stays untouched', async () => {
    const c = await cell('absent', 'I');
    assert.deepEqual(c.row, { line: 2, error: 'STUDENT_NOT_FOUND' });
    assert.equal(c.student, null);
    const known = await cell('eligibility only', 'I');
    assert.deepEqual([known.row, known.student], [{ line: 2, error: 'STUDENT_NOT_FOUND' }, { updated: false, status: null, order: null }]);
  });

  it('DUPLICATE_ID holds across the chunks of one file, not across files', async () => {
    const district = await newDistrict();
    const { runId, runFileId } = await beginRosterRun(system.db, district.districtId, 'run');
    const chunk = (lines: string[], firstLine: number, fileId = runFileId) =>
      applyChunk(system.db, { districtId: district.districtId, runId, runFileId: fileId, mode: 'run', rows: stagedRosterRows(lines, firstLine) });
    await chunk([rosterLine('1', 'X'), rosterLine('2', 'X')], 2);
    const second = await chunk([rosterLine('2', 'I'), rosterLine('3', 'X')], 4);
    assert.deepEqual(second.outcomes, [{ line: 4, error: 'DUPLICATE_ID' }, { line: 5, outcome: 'added' }]);
    assert.match(second.problems[0]!.message, /line 3/);
    const other = await beginRosterRun(system.db, district.districtId, 'run');
    const nextFile = await chunk([rosterLine('2', 'I')], 2, other.runFileId);
    assert.deepEqual(nextFile.outcomes, [{ line: 2, outcome: 'updated' }], 'another file may name the student again');

    await clearRosterFileStudents(system.db, runId);
    const { rows } = await system.db.query('select count(*)::int as n from roster_file_students where run_file_id = $1', [runFileId]);
    assert.equal(rows[0].n, 0, 'the run\'s file-seen students are dropped with its staging');
  });

  it('a chunk whose transaction rolls back leaves nothing behind: its retry is not a duplicate of itself', async () => {
    const district = await newDistrict();
    const { runId, runFileId } = await beginRosterRun(system.db, district.districtId, 'run');
    const chunk = { districtId: district.districtId, runId, runFileId, mode: 'run' as const, rows: stagedRosterRows([rosterLine('1', 'A'), rosterLine('2', 'X')]) };
    const before = await rosterSnapshot(system.db, district.districtId);
    let firstAttempt: RosterChunkResult | undefined;
    await assert.rejects(
      withTransaction(system.db, async (tx) => {
        firstAttempt = await applyRosterChunk(tx, chunk);
        throw new Error('the worker died before commit');
      }),
      /worker died/,
    );
    assert.deepEqual(await rosterSnapshot(system.db, district.districtId), before);
    const { rows } = await system.db.query('select count(*)::int as n from roster_file_students where run_file_id = $1', [runFileId]);
    assert.equal(rows[0].n, 0, 'the file-seen students rolled back with the chunk');

    const retry = await applyChunk(system.db, chunk);
    assert.deepEqual(retry, firstAttempt);
    assert.deepEqual(retry.outcomes, [{ line: 2, outcome: 'added' }, { line: 3, outcome: 'added' }]);
  });

  it('with the ledger row in the same transaction, a repeated attempt of a committed chunk changes nothing', async () => {
    const district = await newDistrict();
    const { runId, runFileId } = await beginRosterRun(system.db, district.districtId, 'run');
    const chunk = { districtId: district.districtId, runId, runFileId, mode: 'run' as const, rows: stagedRosterRows([rosterLine('1', 'A')]) };
    const attempt = () => withTransaction(system.db, async (tx) => ((await claimChunk(tx, runFileId, 0)) ? applyRosterChunk(tx, chunk) : null));
    const [a, b] = await Promise.all([attempt(), attempt()]);
    assert.equal([a, b].filter((r) => r !== null).length, 1, 'exactly one attempt applied');
    const { rows } = await system.db.query('select held from orders where id = $1', [district.enterpriseOrderId]);
    assert.equal(rows[0].held, 1, 'one licence taken, once');
  });

  it('a dry run reports exactly what the run does, across chunks, and changes nothing', async () => {
    const district = await newDistrict();
    const regular = district.regularOrderIds.WMS!;
    await addStudents(system, district, [
      { studentNumber: 'a1', status: 'active' },
      { studentNumber: 'r1', status: 'active', orderId: regular },
      { studentNumber: 'r2', status: 'active', orderId: regular },
      { studentNumber: 'd1', status: 'deactivated' },
      { studentNumber: 'd2', status: 'deactivated' },
      { studentNumber: 'e1', status: null },
    ]);
    await system.db.query(`update students set username = 'taken' where district_id = $1 and student_number = 'a1'`, [district.districtId]);
    // enterprise: 2 purchased, 1 held (a1) → 1 free
    const chunks = [
      [rosterLine('a1', 'D', 'LHS', 'taken'), rosterLine('r1', 'A'), rosterLine('n1', 'A', 'LHS', 'TAKEN'), rosterLine('n6', 'X', 'LHS', 'fresh')],
      [rosterLine('n2', 'A', 'LHS', 'taken'), rosterLine('d1', 'A'), rosterLine('e1', 'X'), rosterLine('d2', 'X'), rosterLine('r1', 'D'), rosterLine('x1', 'A', 'NOPE'), rosterLine('n3', 'D'), ''],
      [rosterLine('r2', 'I'), rosterLine('n4', 'X'), 'LHS,n5,L,F,5,13/01/2014,,A', rosterLine('n7', 'X', 'LHS', 'Fresh')],
    ];
    const applyFile = async (mode: 'test' | 'run') => {
      const { runId, runFileId } = await beginRosterRun(system.db, district.districtId, mode);
      const results: RosterChunkResult[] = [];
      let line = 2;
      for (const lines of chunks) {
        results.push(await applyChunk(system.db, { districtId: district.districtId, runId, runFileId, mode, rows: stagedRosterRows(lines, line) }));
        line += lines.length;
      }
      return { runId, results };
    };

    const before = await rosterSnapshot(system.db, district.districtId);
    const dry = await applyFile('test');
    assert.deepEqual(await rosterSnapshot(system.db, district.districtId), before, 'the dry run changed no real data');
    await clearRosterDryRun(system.db, dry.runId);
    const left = await system.db.query(
      'select (select count(*) from dry_run_roster_students where run_id = $1)::int + (select count(*) from dry_run_roster_orders where run_id = $1)::int as n',
      [dry.runId],
    );
    assert.equal(left.rows[0].n, 0, 'clearRosterDryRun drops the private copy');

    const real = await applyFile('run');
    assert.deepEqual(real.results, dry.results);
    assert.notDeepEqual(await rosterSnapshot(system.db, district.districtId), before, 'the run did change data');
    assert.deepEqual(await licenceViolations(system.db, district.districtId), []);
    const outcomes = real.results.flatMap((r) => r.outcomes.map((o) => ('error' in o ? o.error : o.outcome)));
    assert.deepEqual(outcomes, [
      'deactivated', // a1 gives its licence back to the holding bin and keeps its username
      'updated', // r1 moves to enterprise: regular 2 → 1, enterprise 0 → 1
      'DUPLICATE_USERNAME', // a1 holds "taken", whatever the case
      'added', // n6 takes "fresh"
      'DUPLICATE_USERNAME',
      'activated', // d1 takes the last licence
      'added', // e1, known only to eligibility, joins the roster deactivated
      'STUDENT_EXISTS',
      'DUPLICATE_ID',
      'SCHOOL_ERR',
      'STUDENT_NOT_FOUND',
      'BLANK_LINE',
      'MISSING_LICENSES', // r2 cannot move: the holding bin is empty
      'added',
      'DOB_FORMAT',
      'DUPLICATE_USERNAME', // n7: "fresh" went to n6 two chunks earlier
    ]);
  });

  it('usernames clash whatever their case, beyond A-Z too, in a dry run, a real run and the database', async () => {
    const district = await newDistrict();
    for (const mode of ['test', 'run'] as const) {
      const { runId, runFileId } = await beginRosterRun(system.db, district.districtId, mode);
      const chunk = (lines: string[], firstLine: number) => applyChunk(system.db, { districtId: district.districtId, runId, runFileId, mode, rows: stagedRosterRows(lines, firstLine) });
      await chunk([rosterLine('u1', 'X', 'LHS', 'José'), rosterLine('u2', 'X', 'LHS', 'ǆx')], 2);
      const second = await chunk([rosterLine('u3', 'X', 'LHS', 'JOSÉ'), rosterLine('u4', 'X', 'LHS', 'ǄX')], 4);
      assert.deepEqual(second.problems.map((p) => `${p.line}:${p.code}`), ['4:DUPLICATE_USERNAME', '5:DUPLICATE_USERNAME'], mode);
    }
    await assert.rejects(
      system.db.query(`update students set username = 'JOSÉ' where district_id = $1 and student_number = 'u2'`, [district.districtId]),
      (error: { constraint?: string }) => error.constraint === 'students_username_unique',
    );
  });
});
