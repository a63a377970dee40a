import type { RunScope } from '../../domain/runs';
import type { DbClient } from '../pool';
import { copyRows } from './copy-rows';
import type { Queryable } from './queryable';
import { uuidArray } from './uuid-array';

export interface StoredEligibilityRecord {
  id: string;
  studentId: string;
  schoolYear: number;
  eligibility: string;
  certifiedType: string;
  startDate: string;
  endDate: string | null;
  applicationName: string | null;
  referenceNumber: string | null;
}

const FIELDS = `id, student_id as "studentId", school_year as "schoolYear", eligibility, certified_type as "certifiedType",
  start_date as "startDate", end_date as "endDate", application_name as "applicationName", reference_number as "referenceNumber"`;

/**
 * The records of students $2 in scope $1, one probe of the (student, school year) index per student. As
 * `student_id = any($2)` the planner scanned the whole table for a chunk's 10,000 students once it held about a
 * million records (about 100 ms and both cores per chunk); `offset 0` keeps the lateral subquery a probe.
 */
const recordsOfStudents = (table: string, scopeColumn: string) =>
  `select r.* from unnest($2::uuid[]) s(id)
   cross join lateral (select ${FIELDS} from ${table} where ${scopeColumn} = $1 and student_id = s.id offset 0) r
   order by r."startDate", r.id`;

/** A dry run copies a student's real records the first time one of its rows touches the student. */
async function seedDryRun(db: Queryable, runId: string, studentIds: string[]): Promise<void> {
  await db.query(
    `with fresh as (
       insert into dry_run_students (run_id, student_id) select $1, unnest($2::uuid[]) on conflict do nothing returning student_id
     )
     insert into dry_run_records (run_id, id, student_id, school_year, eligibility, certified_type, start_date, end_date, application_name, reference_number)
     select $1, e.id, e.student_id, e.school_year, e.eligibility, e.certified_type, e.start_date, e.end_date, e.application_name, e.reference_number
     from eligibility_records e join fresh on fresh.student_id = e.student_id`,
    [runId, uuidArray(studentIds)],
  );
}

/**
 * The students' records, from where a chunk reads and writes them: the real table, or a dry run's private copy
 * (`scope.mode` test). In a real run the caller has locked the students (`findStudentsByIdentifier` with `lock`),
 * so runs of different imports do not interleave on one student, even one with no records yet.
 */
export async function loadStudentRecords(db: Queryable, scope: RunScope, studentIds: string[]): Promise<StoredEligibilityRecord[]> {
  if (studentIds.length === 0) return [];
  if (scope.mode === 'test') {
    await seedDryRun(db, scope.runId, studentIds);
    const { rows } = await db.query<StoredEligibilityRecord>(recordsOfStudents('dry_run_records', 'run_id'), [scope.runId, uuidArray(studentIds)]);
    return rows;
  }
  const { rows } = await db.query<StoredEligibilityRecord>(recordsOfStudents('eligibility_records', 'district_id'), [scope.districtId, uuidArray(studentIds)]);
  return rows;
}

export interface RecordChanges {
  inserts: StoredEligibilityRecord[];
  updates: StoredEligibilityRecord[];
  deletes: string[];
}

/** A chunk's record changes in three statements at most, whatever the number of rows: delete, update, COPY. */
export async function writeRecordChanges(db: DbClient, scope: RunScope, changes: RecordChanges): Promise<void> {
  const table = scope.mode === 'test' ? 'dry_run_records' : 'eligibility_records';
  const scopeColumn = scope.mode === 'test' ? 'run_id' : 'district_id';
  const scopeValue = scope.mode === 'test' ? scope.runId : scope.districtId;
  if (changes.deletes.length > 0) {
    await db.query(`delete from ${table} where ${scopeColumn} = $1 and id = any($2::uuid[])`, [scopeValue, uuidArray(changes.deletes)]);
  }
  if (changes.updates.length > 0) {
    const u = changes.updates;
    await db.query(
      `update ${table} t set eligibility = u.eligibility, certified_type = u.certified_type, start_date = u.start_date,
         end_date = u.end_date, application_name = u.application_name, reference_number = u.reference_number
         ${scope.mode === 'run' ? ', updated_at = now()' : ''}
       from unnest($2::uuid[], $3::text[], $4::text[], $5::date[], $6::date[], $7::text[], $8::text[])
         as u(id, eligibility, certified_type, start_date, end_date, application_name, reference_number)
       where t.${scopeColumn} = $1 and t.id = u.id`,
      [
        scopeValue,
        uuidArray(u.map((r) => r.id)),
        u.map((r) => r.eligibility),
        u.map((r) => r.certifiedType),
        u.map((r) => r.startDate),
        u.map((r) => r.endDate),
        u.map((r) => r.applicationName),
        u.map((r) => r.referenceNumber),
      ],
    );
  }
  const columns = [scopeColumn, 'id', 'student_id', 'school_year', 'eligibility', 'certified_type', 'start_date', 'end_date', 'application_name', 'reference_number'];
  const source = scope.mode === 'run' ? [scope.runId] : [];
  await copyRows(
    db,
    table,
    scope.mode === 'run' ? [...columns, 'source_run_id'] : columns,
    changes.inserts.map((r) => [scopeValue, r.id, r.studentId, r.schoolYear, r.eligibility, r.certifiedType, r.startDate, r.endDate, r.applicationName, r.referenceNumber, ...source]),
  );
}

export async function clearDryRun(db: Queryable, runId: string): Promise<void> {
  await db.query('delete from dry_run_records where run_id = $1', [runId]);
  await db.query('delete from dry_run_students where run_id = $1', [runId]);
}

export async function listStudentRecords(db: Queryable, studentId: string): Promise<StoredEligibilityRecord[]> {
  const { rows } = await db.query<StoredEligibilityRecord>(
    `select ${FIELDS} from eligibility_records where student_id = $1 order by school_year, start_date`,
    [studentId],
  );
  return rows;
}
