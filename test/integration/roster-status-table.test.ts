import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startSshd, type TestSshd } from '../sources/sshd';
import { putServerFile, runToReport } from '../support/fixtures';
import { addStudents, createRosterDistrict, createRosterImport, licenceViolations, rosterLine, type RosterDistrict } from '../support/roster';
import { startTestSystem, type TestSystem } from '../support/system';

type Start = 'absent' | 'active on enterprise' | 'active on regular' | 'deactivated on regular';
type Order = 'enterprise' | 'regular' | null;

const HEADER = 'school_code,student_id,last_name,first_name,grade,date_of_birth,username,status';

/**
 * RULES.md's status table through real runs: for each cell a district of its own (schools LHS and WMS,
 * 5 enterprise licences, a regular order of 5 for WMS), one student set up through the API, a students
 * import over real SFTP and a `students.csv` of one row for that student. Each test asserts the report,
 * the student as the API shows it, and the orders' licences.
 */
describe('the roster status table, cell by cell, through real runs', () => {
  let system: TestSystem;
  let sshd: TestSshd;
  let cells = 0;

  before(async () => {
    [system, sshd] = await Promise.all([startTestSystem(), startSshd()]);
  });
  after(async () => {
    await sshd?.stop();
    await system?.stop();
  });

  async function cell(start: Start, code: string) {
    const n = ++cells;
    const district: RosterDistrict = await createRosterDistrict(system, `Cell ${String(n)}`, { schools: ['LHS', 'WMS'], enterpriseLicenses: 5, regularLicenses: { WMS: 5 } });
    const regular = district.regularOrderIds.WMS!;
    const student = `c${String(n)}`;
    const setups: Record<Start, Parameters<typeof addStudents>[2]> = {
      absent: [],
      'active on enterprise': [{ studentNumber: student, status: 'active' }],
      'active on regular': [{ studentNumber: student, status: 'active', orderId: regular }],
      'deactivated on regular': [{ studentNumber: student, status: 'deactivated', orderId: regular }],
    };
    await addStudents(system, district, setups[start]);
    const orderName = (id: string | null): Order => (id === district.enterpriseOrderId ? 'enterprise' : id === regular ? 'regular' : null);
    const held = async () => {
      const orders = (await system.call('GET', '/api/orders', { key: district.key })).body as { id: string; held: number; free: number; purchased: number }[];
      for (const o of orders) assert.equal(o.free + o.held, o.purchased, 'free + held = purchased');
      return Object.fromEntries(orders.map((o) => [orderName(o.id), o.held]));
    };
    const heldBefore = await held();

    const dir = `cell-${String(n)}`;
    putServerFile(sshd, dir, 'students.csv', `${HEADER}\n${rosterLine(student, code, 'LHS', `user.${student}`)}\n`);
    const importId = await createRosterImport(system, district, sshd.connection(dir));
    const { run, report } = await runToReport(system, district.key, importId, 'run');
    assert.equal(run.status, 'completed', JSON.stringify(run.error));

    const got = await system.call('GET', `/api/students/${student}`, { key: district.key });
    assert.deepEqual(await licenceViolations(system.db, district.districtId), []);
    const heldAfter = await held();
    return {
      summary: report.summary,
      records: report.records.map((r: Record<string, unknown>) => ({ ...r, orderBefore: orderName(r.orderBefore as string | null), orderAfter: orderName(r.orderAfter as string) })),
      problems: report.problems.map((p: { line: number; code: string }) => [p.line, p.code]),
      student:
        got.status === 404
          ? null
          : { fromFile: got.body.lastName === `Last${student}` && got.body.username === `user.${student}`, status: got.body.status, order: orderName(got.body.orderId) },
      licences: { enterprise: heldAfter.enterprise! - heldBefore.enterprise!, regular: heldAfter.regular! - heldBefore.regular! },
      studentNumber: student,
    };
  }

  const summary = (counts: Partial<Record<'added' | 'updated' | 'activated' | 'deactivated' | 'errors', number>>) => ({ added: 0, updated: 0, activated: 0, deactivated: 0, errors: 0, ...counts });
  const record = (student: string, statusCode: string, outcome: string, orderBefore: Order, orderAfter: Order) => ({
    file: 'students.csv',
    line: 2,
    studentNumber: student,
    name: `Last${student}, First${student}`,
    statusCode,
    outcome,
    orderBefore,
    orderAfter,
  });

  it('active × A: data updated; on a regular order it moves to enterprise (1 licence back, 1 from the holding bin)', async () => {
    const r = await cell('active on regular', 'A');
    assert.deepEqual(r.summary, summary({ updated: 1 }));
    assert.deepEqual(r.records, [record(r.studentNumber, 'A', 'updated', 'regular', 'enterprise')]);
    assert.deepEqual(r.student, { fromFile: true, status: 'active', order: 'enterprise' });
    assert.deepEqual(r.licences, { enterprise: 1, regular: -1 });
  });

  it('active × D: deactivated and updated; its licence goes back to its own order, which it stays on', async () => {
    const r = await cell('active on enterprise', 'D');
    assert.deepEqual(r.summary, summary({ deactivated: 1 }));
    assert.deepEqual(r.records, [record(r.studentNumber, 'D', 'deactivated', 'enterprise', 'enterprise')]);
    assert.deepEqual(r.student, { fromFile: true, status: 'deactivated', order: 'enterprise' });
    assert.deepEqual(r.licences, { enterprise: -1, regular: 0 });
  });

  it('active × X: STUDENT_EXISTS, nothing updated', async () => {
    const r = await cell('active on regular', 'X');
    assert.deepEqual(r.summary, summary({ errors: 1 }));
    assert.deepEqual([r.records, r.problems], [[], [[2, 'STUDENT_EXISTS']]]);
    assert.deepEqual(r.student, { fromFile: false, status: 'active', order: 'regular' });
    assert.deepEqual(r.licences, { enterprise: 0, regular: 0 });
  });

  it('active × I: as A (status kept, moved from its regular order to enterprise with a licence)', async () => {
    const r = await cell('active on regular', 'I');
    assert.deepEqual(r.summary, summary({ updated: 1 }));
    assert.deepEqual(r.records, [record(r.studentNumber, 'I', 'updated', 'regular', 'enterprise')]);
    assert.deepEqual(r.student, { fromFile: true, status: 'active', order: 'enterprise' });
    assert.deepEqual(r.licences, { enterprise: 1, regular: -1 });
  });

  it('deactivated × A: activated on the enterprise order with 1 licence from the holding bin', async () => {
    const r = await cell('deactivated on regular', 'A');
    assert.deepEqual(r.summary, summary({ activated: 1 }));
    assert.deepEqual(r.records, [record(r.studentNumber, 'A', 'activated', 'regular', 'enterprise')]);
    assert.deepEqual(r.student, { fromFile: true, status: 'active', order: 'enterprise' });
    assert.deepEqual(r.licences, { enterprise: 1, regular: 0 });
  });

  it('deactivated × D: data updated, associated with enterprise, no licence', async () => {
    const r = await cell('deactivated on regular', 'D');
    assert.deepEqual(r.summary, summary({ updated: 1 }));
    assert.deepEqual(r.records, [record(r.studentNumber, 'D', 'updated', 'regular', 'enterprise')]);
    assert.deepEqual(r.student, { fromFile: true, status: 'deactivated', order: 'enterprise' });
    assert.deepEqual(r.licences, { enterprise: 0, regular: 0 });
  });

  it('deactivated × X: STUDENT_EXISTS, nothing updated', async () => {
    const r = await cell('deactivated on regular', 'X');
    assert.deepEqual(r.summary, summary({ errors: 1 }));
    assert.deepEqual([r.records, r.problems], [[], [[2, 'STUDENT_EXISTS']]]);
    assert.deepEqual(r.student, { fromFile: false, status: 'deactivated', order: 'regular' });
    assert.deepEqual(r.licences, { enterprise: 0, regular: 0 });
  });

  it('deactivated × I: data updated, associated with enterprise, no licence', async () => {
    const r = await cell('deactivated on regular', 'I');
    assert.deepEqual(r.summary, summary({ updated: 1 }));
    assert.deepEqual(r.records, [record(r.studentNumber, 'I', 'updated', 'regular', 'enterprise')]);
    assert.deepEqual(r.student, { fromFile: true, status: 'deactivated', order: 'enterprise' });
    assert.deepEqual(r.licences, { enterprise: 0, regular: 0 });
  });

  it('absent × A: added active on enterprise, 1 licence from the holding bin', async () => {
    const r = await cell('absent', 'A');
    assert.deepEqual(r.summary, summary({ added: 1 }));
    assert.deepEqual(r.records, [record(r.studentNumber, 'A', 'added', null, 'enterprise')]);
    assert.deepEqual(r.student, { fromFile: true, status: 'active', order: 'enterprise' });
    assert.deepEqual(r.licences, { enterprise: 1, regular: 0 });
  });

  it('absent × D: STUDENT_NOT_FOUND, nothing created', async () => {
    const r = await cell('absent', 'D');
    assert.deepEqual(r.summary, summary({ errors: 1 }));
    assert.deepEqual([r.records, r.problems], [[], [[2, 'STUDENT_NOT_FOUND']]]);
    assert.equal(r.student, null);
    assert.deepEqual(r.licences, { enterprise: 0, regular: 0 });
  });

  it('absent × X: added deactivated on enterprise, no licence', async () => {
    const r = await cell('absent', 'X');
    assert.deepEqual(r.summary, summary({ added: 1 }));
    assert.deepEqual(r.records, [record(r.studentNumber, 'X', 'added', null, 'enterprise')]);
    assert.deepEqual(r.student, { fromFile: true, status: 'deactivated', order: 'enterprise' });
    assert.deepEqual(r.licences, { enterprise: 0, regular: 0 });
  });

  it('absent × I: STUDENT_NOT_FOUND, nothing created', async () => {
    const r = await cell('absent', 'I');
    assert.deepEqual(r.summary, summary({ errors: 1 }));
    assert.deepEqual([r.records, r.problems], [[], [[2, 'STUDENT_NOT_FOUND']]]);
    assert.equal(r.student, null);
    assert.deepEqual(r.licences, { enterprise: 0, regular: 0 });
  });
});
