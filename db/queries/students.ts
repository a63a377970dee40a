import type { Queryable } from './queryable';

export interface StudentInput {
  studentNumber: string;
  stateId?: string | null;
  personId?: string | null;
  firstName: string;
  lastName: string;
  birthDate?: string | null;
}

export interface Student extends StudentInput {
  id: string;
}

export type StudentIdentifier = 'studentNumber' | 'stateId' | 'personId';

const IDENTIFIER_COLUMN: Record<StudentIdentifier, string> = {
  studentNumber: 'student_number',
  stateId: 'state_id',
  personId: 'person_id',
};

/** Upserts by student number in one statement. */
export async function upsertStudents(db: Queryable, districtId: string, students: StudentInput[]): Promise<number> {
  const { rowCount } = await db.query(
    `insert into students (district_id, student_number, state_id, person_id, first_name, last_name, birth_date)
     select $1, * from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::date[])
     on conflict (district_id, student_number) do update set
       state_id = excluded.state_id, person_id = excluded.person_id, first_name = excluded.first_name,
       last_name = excluded.last_name, birth_date = excluded.birth_date, updated_at = now()`,
    [
      districtId,
      students.map((s) => s.studentNumber),
      students.map((s) => s.stateId ?? null),
      students.map((s) => s.personId ?? null),
      students.map((s) => s.firstName),
      students.map((s) => s.lastName),
      students.map((s) => s.birthDate ?? null),
    ],
  );
  return rowCount ?? 0;
}

const COLUMNS = `id, student_number as "studentNumber", state_id as "stateId", person_id as "personId",
  first_name as "firstName", last_name as "lastName", birth_date as "birthDate"`;

/** A student with its roster fields (all null for a student that only eligibility knows). */
export interface StudentDetail extends Student {
  schoolCode: string | null;
  grade: string | null;
  username: string | null;
  status: 'active' | 'deactivated' | null;
  orderId: string | null;
}

const ROSTER_COLUMNS = 'school_code as "schoolCode", grade, username, status, order_id as "orderId"';

export async function findStudentByNumber(db: Queryable, districtId: string, studentNumber: string): Promise<StudentDetail | undefined> {
  const { rows } = await db.query<StudentDetail>(
    `select ${COLUMNS}, ${ROSTER_COLUMNS} from students where district_id = $1 and student_number = $2`,
    [districtId, studentNumber],
  );
  return rows[0];
}

/** What a chunk needs of a student it matched: its id for the records, its number and name for the report. */
export type MatchedStudent = Pick<Student, 'id' | 'studentNumber' | 'firstName' | 'lastName'>;

/**
 * The district's students with these identifiers, keyed by the identifier's value. With `lock`, they are locked for
 * the caller's transaction in id order (so two chunks that share students cannot deadlock), in the same statement
 * that finds them.
 */
export async function findStudentsByIdentifier(
  db: Queryable,
  districtId: string,
  identifier: StudentIdentifier,
  values: string[],
  { lock = false }: { lock?: boolean } = {},
): Promise<Map<string, MatchedStudent>> {
  const column = IDENTIFIER_COLUMN[identifier];
  const { rows } = await db.query<MatchedStudent & { key: string }>(
    `select id, student_number as "studentNumber", first_name as "firstName", last_name as "lastName", ${column} as key from students where district_id = $1 and ${column} = any($2::text[])${lock ? ' order by id for update' : ''}`,
    [districtId, values],
  );
  return new Map(rows.map((r) => [r.key, r]));
}
