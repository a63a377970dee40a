import type { Grade, RosterStatus } from '../../kinds/students/codes';
import { uuidV7 } from '../../domain/uuid-v7';
import type { DbClient } from '../pool';
import { copyRows } from './copy-rows';
import type { Queryable } from './queryable';

/** A student's roster standing: what licence decisions need. */
export interface StoredRosterStudent {
  id: string;
  studentNumber: string;
  status: RosterStatus | null;
  orderId: string | null;
  username: string | null;
}

/** A roster student as a roster row writes it; id null for a student the district does not have yet. */
export interface RosterStudentWrite {
  id: string | null;
  studentNumber: string;
  schoolCode: string;
  lastName: string;
  firstName: string;
  grade: Grade;
  dateOfBirth: string;
  username: string | null;
  status: RosterStatus;
  orderId: string;
}

const STANDING = 'id, student_number as "studentNumber", status, order_id as "orderId", username';

/** Locks the district's students with these numbers, in id order (as every writer of students does), and returns their standing. */
export async function lockRosterStudents(db: Queryable, districtId: string, studentNumbers: string[]): Promise<StoredRosterStudent[]> {
  if (studentNumbers.length === 0) return [];
  const { rows } = await db.query<StoredRosterStudent>(
    `select ${STANDING} from students where district_id = $1 and student_number = any($2::text[]) order by id for update`,
    [districtId, studentNumbers],
  );
  return rows;
}

/**
 * Case-folds `usernames` the way the uniqueness constraint does, and finds which student of the
 * district holds each: `keys` maps a username to its key, `owners` a key to a student number.
 */
export async function findUsernameOwners(db: Queryable, districtId: string, usernames: string[]): Promise<{ keys: Map<string, string>; owners: Map<string, string> }> {
  if (usernames.length === 0) return { keys: new Map(), owners: new Map() };
  // one index probe per username: a join may instead scan every username of the district, whose size the
  // planner underestimates while a district's first roster is still being written
  const { rows } = await db.query<{ username: string; key: string; owner: string | null }>(
    `select u.username, roster_username_key(u.username) as key, s.student_number as owner
     from unnest($2::text[]) as u(username)
     left join lateral (select student_number from students where district_id = $1 and roster_username_key(username) = roster_username_key(u.username) limit 1) s on true`,
    [districtId, usernames],
  );
  return {
    keys: new Map(rows.map((r) => [r.username, r.key])),
    owners: new Map(rows.filter((r) => r.owner !== null).map((r) => [r.key, r.owner!])),
  };
}

const WRITE_COLUMNS = `id uuid, "studentNumber" text, "schoolCode" text, "lastName" text, "firstName" text, grade text, "dateOfBirth" text,
  username text, status text, "orderId" uuid`;

/** One COPY; new students get time-ordered ids, which land at the end of the primary key's index. */
export async function insertRosterStudents(db: DbClient, districtId: string, students: RosterStudentWrite[]): Promise<void> {
  await copyRows(
    db,
    'students',
    ['id', 'district_id', 'student_number', 'school_code', 'last_name', 'first_name', 'grade', 'birth_date', 'username', 'status', 'order_id'],
    students.map((s) => [uuidV7(), districtId, s.studentNumber, s.schoolCode, s.lastName, s.firstName, s.grade, s.dateOfBirth, s.username, s.status, s.orderId]),
  );
}

export async function updateRosterStudents(db: Queryable, districtId: string, students: RosterStudentWrite[]): Promise<void> {
  if (students.length === 0) return;
  await db.query(
    `update students t set school_code = s."schoolCode", last_name = s."lastName", first_name = s."firstName", grade = s.grade,
       birth_date = s."dateOfBirth"::date, username = s.username, status = s.status, order_id = s."orderId", updated_at = now()
     from jsonb_to_recordset($2::jsonb) as s(${WRITE_COLUMNS})
     where t.district_id = $1 and t.id = s.id`,
    [districtId, JSON.stringify(students)],
  );
}

/** Associates one student with an order (API set-up); its data stays as it is. */
export async function setStudentAssociation(db: Queryable, districtId: string, studentId: string, status: RosterStatus, orderId: string): Promise<void> {
  await db.query('update students set status = $3, order_id = $4, updated_at = now() where district_id = $1 and id = $2', [districtId, studentId, status, orderId]);
}
