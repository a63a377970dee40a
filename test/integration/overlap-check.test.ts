import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { insertDistrict, insertRun, insertStudent } from '../support/db-rows';
import { startTestSystem, type TestSystem } from '../support/system';

/**
 * No two records of a student in a school year overlap: the database refuses it at the end of the
 * statement that would make it (migrations 016 and 020), whoever writes, and even when two transactions each
 * write one half of the overlap.
 */
describe('the overlap check', () => {
  let system: TestSystem;
  let districtId = '';
  let students = 0;

  before(async () => {
    system = await startTestSystem();
    districtId = await insertDistrict(system.db, 'Overlap USD');
  });
  after(() => system?.stop());

  const newStudent = () => insertStudent(system.db, districtId, `S${++students}`);
  const insertRecord = (db: { query: TestSystem['db']['query'] }, studentId: string, start: string, end: string | null) =>
    db.query(
      `insert into eligibility_records (district_id, student_id, school_year, eligibility, certified_type, start_date, end_date) values ($1, $2, 2026, 'F', 'D', $3, $4) returning id`,
      [districtId, studentId, start, end],
    );
  const isOverlap = (error: { code?: string; constraint?: string }) => error.code === '23P01' && error.constraint === 'eligibility_records_no_overlap';

  it('refuses an insert that overlaps a record of the same student and year', async () => {
    const student = await newStudent();
    await insertRecord(system.db, student, '2025-08-01', '2025-08-31');
    await assert.rejects(insertRecord(system.db, student, '2025-08-31', null), isOverlap);
  });

  it('accepts records that only touch other students, other years or other days', async () => {
    const [a, b] = [await newStudent(), await newStudent()];
    await insertRecord(system.db, a, '2025-08-01', '2025-08-31');
    await insertRecord(system.db, a, '2025-09-01', null);
    await insertRecord(system.db, b, '2025-08-01', null);
    await system.db.query(
      `insert into eligibility_records (district_id, student_id, school_year, eligibility, certified_type, start_date) values ($1, $2, 2027, 'F', 'D', '2025-08-01')`,
      [districtId, a],
    );
    const { rows } = await system.db.query<{ n: number }>('select count(*)::int as n from eligibility_records where student_id = any($1::uuid[])', [[a, b]]);
    assert.equal(rows[0]!.n, 4);
  });

  it('refuses two rows of one statement that overlap each other', async () => {
    const student = await newStudent();
    await assert.rejects(
      system.db.query(
        `insert into eligibility_records (district_id, student_id, school_year, eligibility, certified_type, start_date, end_date)
         values ($1, $2, 2026, 'F', 'D', '2025-08-01', '2025-08-31'), ($1, $2, 2026, 'R', 'D', '2025-08-15', null)`,
        [districtId, student],
      ),
      isOverlap,
    );
  });

  it('refuses an update that makes two records overlap', async () => {
    const student = await newStudent();
    const first = (await insertRecord(system.db, student, '2025-08-01', '2025-08-31')).rows[0].id;
    await insertRecord(system.db, student, '2025-09-01', null);
    await assert.rejects(system.db.query(`update eligibility_records set end_date = '2025-09-15' where id = $1`, [first]), isOverlap);
  });

  it('refuses the second of two transactions that each write one half of an overlap', async () => {
    const student = await newStudent();
    const [one, two] = [await system.db.connect(), await system.db.connect()];
    try {
      await one.query('begin');
      await two.query('begin');
      await insertRecord(one, student, '2025-08-01', null);
      // waits for the first transaction's lock on the student, then sees its record; checked from the start,
      // since under load its refusal can come before the commit's answer is read
      const second = assert.rejects(insertRecord(two, student, '2025-10-01', null), isOverlap);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await one.query('commit');
      await second;
    } finally {
      await two.query('rollback').catch(() => {});
      one.release();
      two.release();
    }
  });

  it('refuses an overlap in a dry run\'s copy of the records', async () => {
    const student = await newStudent();
    const runId = await insertRun(system.db, districtId);
    const insert = (start: string) =>
      system.db.query(
        `insert into dry_run_records (run_id, id, student_id, school_year, eligibility, certified_type, start_date) values ($1, gen_random_uuid(), $2, 2026, 'F', 'D', $3)`,
        [runId, student, start],
      );
    await insert('2025-08-01');
    await assert.rejects(insert('2025-09-01'), (error: { code?: string; constraint?: string }) => error.code === '23P01' && error.constraint === 'dry_run_records_no_overlap');
  });
});
