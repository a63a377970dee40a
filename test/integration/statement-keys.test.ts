import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadStudentRecords } from '../../db/queries/eligibility-records';
import type { Queryable } from '../../db/queries/queryable';
import { findStudentsByIdentifier } from '../../db/queries/students';
import { insertDistrict, insertRun, insertRunFile, insertStudent } from '../support/db-rows';
import { startTestSystem, type TestSystem } from '../support/system';

/**
 * Migrations 018 and 023 check references once per statement instead of with a foreign key: the database still
 * refuses a record of a missing student, and a report record, staged row or roster file student of a missing run
 * file, and still deletes them with their parent.
 */
describe('references checked per statement', () => {
  let system: TestSystem;
  let districtId = '';
  let students = 0;

  before(async () => {
    system = await startTestSystem();
    districtId = await insertDistrict(system.db, 'Keys USD');
  });
  after(() => system?.stop());

  const newStudent = () => insertStudent(system.db, districtId, `K${++students}`);
  const insertRecords = (studentIds: string[]) =>
    system.db.query(
      `insert into eligibility_records (district_id, student_id, school_year, eligibility, certified_type, start_date)
       select $1, s, 2026, 'F', 'D', '2025-08-01' from unnest($2::uuid[]) s`,
      [districtId, studentIds],
    );
  const insertReportRecord = (runFileId: string, line: number) =>
    system.db.query(`insert into report_records (run_file_id, line, ord, student_number, status, data) values ($1, $2, 0, 'K', 'New', '{}')`, [runFileId, line]);
  const insertStagedRow = (runFileId: string, seq: number) =>
    system.db.query(`insert into staged_rows (run_file_id, seq, line, record) values ($1, $2, $2 + 2, 'a')`, [runFileId, seq]);
  const insertRosterFileStudent = (runFileId: string, studentNumber: string) =>
    system.db.query('insert into roster_file_students (run_file_id, student_number, first_line) values ($1, $2, 2)', [runFileId, studentNumber]);
  const count = async (sql: string, params: unknown[]) => (await system.db.query<{ n: number }>(sql, params)).rows[0]!.n;
  const refused = (constraint: string) => (error: { code?: string; constraint?: string }) => error.code === '23503' && error.constraint === constraint;

  it('refuses a statement whose records name a student that does not exist, keeping none of its rows', async () => {
    const real = await newStudent();
    await assert.rejects(insertRecords([real, randomUUID()]), refused('eligibility_records_student_id_fkey'));
    assert.equal(await count('select count(*)::int as n from eligibility_records where student_id = $1', [real]), 0);
  });

  it('refuses a record whose student belongs to another district', async () => {
    const elsewhere = await insertStudent(system.db, await insertDistrict(system.db, 'Other USD'), 'K-other');
    await assert.rejects(insertRecords([elsewhere]), refused('eligibility_records_student_id_fkey'));
  });

  it('deletes a student\'s records with the student', async () => {
    const [gone, kept] = [await newStudent(), await newStudent()];
    await insertRecords([gone, kept]);
    await system.db.query('delete from students where id = $1', [gone]);
    assert.equal(await count('select count(*)::int as n from eligibility_records where student_id = $1', [gone]), 0);
    assert.equal(await count('select count(*)::int as n from eligibility_records where student_id = $1', [kept]), 1);
  });

  it('refuses a report record of a run file that does not exist', async () => {
    await assert.rejects(insertReportRecord(randomUUID(), 2), refused('report_records_run_file_id_fkey'));
  });

  it('deletes a run\'s report records with the run, and no other run\'s', async () => {
    const [gone, kept] = [await insertRun(system.db, districtId), await insertRun(system.db, districtId)];
    const [goneFile, keptFile] = [await insertRunFile(system.db, gone, 0), await insertRunFile(system.db, kept, 0)];
    await insertReportRecord(goneFile, 2);
    await insertReportRecord(keptFile, 2);
    await system.db.query('delete from runs where id = $1', [gone]);
    assert.equal(await count('select count(*)::int as n from report_records where run_file_id = $1', [goneFile]), 0);
    assert.equal(await count('select count(*)::int as n from report_records where run_file_id = $1', [keptFile]), 1);
  });

  it('refuses a staged row of a run file that does not exist, keeping none of its statement\'s rows', async () => {
    const real = await insertRunFile(system.db, await insertRun(system.db, districtId), 0);
    await assert.rejects(
      system.db.query(`insert into staged_rows (run_file_id, seq, line, record) select f, 0, 2, 'a' from unnest($1::uuid[]) f`, [[real, randomUUID()]]),
      refused('staged_rows_run_file_id_fkey'),
    );
    assert.equal(await count('select count(*)::int as n from staged_rows where run_file_id = $1', [real]), 0);
  });

  it('refuses a roster file student of a run file that does not exist', async () => {
    await assert.rejects(insertRosterFileStudent(randomUUID(), 'K1'), refused('roster_file_students_run_file_id_fkey'));
  });

  it('deletes a run\'s staged rows and roster file students with the run, and no other run\'s', async () => {
    const [gone, kept] = [await insertRun(system.db, districtId), await insertRun(system.db, districtId)];
    const [goneFile, keptFile] = [await insertRunFile(system.db, gone, 0), await insertRunFile(system.db, kept, 0)];
    for (const file of [goneFile, keptFile]) {
      await insertStagedRow(file, 0);
      await insertRosterFileStudent(file, 'K1');
    }
    await system.db.query('delete from runs where id = $1', [gone]);
    const left = (table: string, file: string) => count(`select count(*)::int as n from ${table} where run_file_id = $1`, [file]);
    assert.deepEqual([await left('staged_rows', goneFile), await left('roster_file_students', goneFile)], [0, 0]);
    assert.deepEqual([await left('staged_rows', keptFile), await left('roster_file_students', keptFile)], [1, 1]);
  });

  it('a chunk reading a student\'s records waits until another chunk writing that student has committed', async () => {
    const number = 'K-waits';
    const student = await insertStudent(system.db, districtId, number);
    const scope = { runId: await insertRun(system.db, districtId), districtId, mode: 'run' as const };
    // as applyEligibilityRows reads: find and lock the students, then load their records
    const readAsChunk = async (tx: Queryable) => {
      const found = await findStudentsByIdentifier(tx, districtId, 'studentNumber', [number], { lock: true });
      return loadStudentRecords(tx, scope, [...found.values()].map((s) => s.id));
    };
    const [one, two] = [await system.db.connect(), await system.db.connect()];
    try {
      await one.query('begin');
      await two.query('begin');
      await readAsChunk(one);
      let read = false;
      const reading = readAsChunk(two).then((records) => {
        read = true;
        return records;
      });
      await sleep(300);
      assert.equal(read, false, 'the second chunk waits');
      await one.query('commit');
      await reading;
      await two.query('commit');
    } finally {
      one.release();
      two.release();
    }
  });
});
