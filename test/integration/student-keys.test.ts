import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createRosterDistrict, type RosterDistrict } from '../support/roster';
import { startTestSystem, type TestSystem } from '../support/system';

/**
 * Migration 021 checks the students table's references (district, school, order) once per statement instead of
 * with foreign keys: the database still refuses a student naming what its district does not have, still deletes
 * a district's students with it, and still refuses to remove a school or an order that students name.
 */
describe('student references checked per statement', () => {
  let system: TestSystem;
  let north: RosterDistrict;
  let south: RosterDistrict;
  let students = 0;

  before(async () => {
    system = await startTestSystem();
    north = await createRosterDistrict(system, 'North Keys USD', { schools: ['N1', 'N2'], enterpriseLicenses: 10 });
    south = await createRosterDistrict(system, 'South Keys USD', { schools: ['S1'], enterpriseLicenses: 10 });
  });
  after(() => system?.stop());

  interface NewStudent {
    districtId: string;
    schoolCode: string | null;
    orderId: string | null;
  }
  /** One statement writing these students; a student with an order is deactivated, so it holds no licence. */
  const insertStudents = (rows: NewStudent[]) =>
    system.db.query(
      `insert into students (district_id, student_number, first_name, last_name, school_code, status, order_id)
       select r.district_id, r.number, 'F', 'L', r.school_code, case when r.order_id is null then null else 'deactivated' end, r.order_id
       from unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[]) as r(district_id, number, school_code, order_id)`,
      [rows.map((r) => r.districtId), rows.map(() => `SK${++students}`), rows.map((r) => r.schoolCode), rows.map((r) => r.orderId)],
    );
  const inNorth = (schoolCode: string | null = 'N1'): NewStudent => ({ districtId: north.districtId, schoolCode, orderId: north.enterpriseOrderId });
  const count = async (sql: string, params: unknown[]) => (await system.db.query<{ n: number }>(sql, params)).rows[0]!.n;
  const studentsOf = (districtId: string) => count('select count(*)::int as n from students where district_id = $1', [districtId]);
  const refused = (constraint: string) => (error: { code?: string; constraint?: string }) => error.code === '23503' && error.constraint === constraint;

  it('writes students whose district, school and order exist', async () => {
    const before = await studentsOf(north.districtId);
    await insertStudents([inNorth('N1'), inNorth('N2'), { districtId: north.districtId, schoolCode: null, orderId: null }]);
    assert.equal(await studentsOf(north.districtId), before + 3);
  });

  it('refuses a statement naming a school the district does not have, keeping none of its rows', async () => {
    const before = await studentsOf(north.districtId);
    await assert.rejects(insertStudents([inNorth('N1'), inNorth('S1')]), refused('students_school'));
    assert.equal(await studentsOf(north.districtId), before);
  });

  it('refuses a student whose order belongs to another district', async () => {
    await assert.rejects(insertStudents([{ districtId: north.districtId, schoolCode: 'N1', orderId: south.enterpriseOrderId }]), refused('students_order'));
  });

  it('refuses a student of a district that does not exist', async () => {
    await assert.rejects(insertStudents([{ districtId: randomUUID(), schoolCode: null, orderId: null }]), refused('students_district_id_fkey'));
  });

  it('refuses an update moving a student to a school of another district', async () => {
    await insertStudents([inNorth('N1')]);
    const number = `SK${students}`;
    await assert.rejects(
      system.db.query(`update students set school_code = 'S1' where district_id = $1 and student_number = $2`, [north.districtId, number]),
      refused('students_school'),
    );
  });

  it('refuses removing a school that students name, and removes one that none names', async () => {
    const spare = await createRosterDistrict(system, 'Spare Keys USD', { schools: ['X1', 'X2'], enterpriseLicenses: 5 });
    await insertStudents([{ districtId: spare.districtId, schoolCode: 'X1', orderId: spare.enterpriseOrderId }]);
    await assert.rejects(system.db.query(`delete from schools where district_id = $1 and code = 'X1'`, [spare.districtId]), refused('students_school'));
    await assert.rejects(system.db.query(`update schools set code = 'X9' where district_id = $1 and code = 'X1'`, [spare.districtId]), refused('students_school'));
    await system.db.query(`delete from schools where district_id = $1 and code = 'X2'`, [spare.districtId]);
    assert.equal(await count('select count(*)::int as n from schools where district_id = $1', [spare.districtId]), 1);
  });

  it('refuses removing an order that students name', async () => {
    const spare = await createRosterDistrict(system, 'Order Keys USD', { schools: ['Y1'], enterpriseLicenses: 5 });
    await insertStudents([{ districtId: spare.districtId, schoolCode: 'Y1', orderId: spare.enterpriseOrderId }]);
    await assert.rejects(system.db.query('delete from orders where id = $1', [spare.enterpriseOrderId]), refused('students_order'));
  });

  it("deletes a district's students with the district, and no other district's", async () => {
    const gone = await createRosterDistrict(system, 'Gone Keys USD', { schools: ['G1'], enterpriseLicenses: 5 });
    await insertStudents([{ districtId: gone.districtId, schoolCode: 'G1', orderId: gone.enterpriseOrderId }, { districtId: gone.districtId, schoolCode: null, orderId: null }]);
    const southBefore = await studentsOf(south.districtId);
    await insertStudents([{ districtId: south.districtId, schoolCode: 'S1', orderId: south.enterpriseOrderId }]);
    await system.db.query('delete from districts where id = $1', [gone.districtId]);
    assert.equal(await studentsOf(gone.districtId), 0);
    assert.equal(await studentsOf(south.districtId), southBefore + 1);
  });
});
