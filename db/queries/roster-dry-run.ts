import type { OrderKind } from '../../kinds/students/codes';
import type { Queryable } from './queryable';
import type { RosterStudentWrite, StoredRosterStudent } from './roster-students';

/**
 * A roster dry run reads and writes a private copy: the district's orders (copied once per run, and any
 * order made since) and each student the first time one of the run's rows names it. Nothing real changes.
 */
export async function seedDryRunOrders(db: Queryable, runId: string, districtId: string): Promise<void> {
  await db.query(
    `insert into dry_run_roster_orders (run_id, order_id, kind, purchased, held)
     select $1, id, kind, purchased, held from orders where district_id = $2
     on conflict do nothing`,
    [runId, districtId],
  );
}

export async function loadDryRunOrders(db: Queryable, runId: string): Promise<{ id: string; kind: OrderKind; purchased: number; held: number }[]> {
  const { rows } = await db.query<{ id: string; kind: OrderKind; purchased: number; held: number }>(
    'select order_id as id, kind, purchased, held from dry_run_roster_orders where run_id = $1 order by order_id',
    [runId],
  );
  return rows;
}

/** Copies the students with these numbers; a number no student has gets a row without a status (absent). */
export async function seedDryRunStudents(db: Queryable, runId: string, districtId: string, studentNumbers: string[]): Promise<void> {
  if (studentNumbers.length === 0) return;
  await db.query(
    `insert into dry_run_roster_students (run_id, student_number, student_id, first_name, last_name, school_code, grade, birth_date, username, status, order_id)
     select $1, n.number, s.id, s.first_name, s.last_name, s.school_code, s.grade, s.birth_date, s.username, s.status, s.order_id
     from unnest($3::text[]) as n(number)
     left join students s on s.district_id = $2 and s.student_number = n.number
     on conflict do nothing`,
    [runId, districtId, studentNumbers],
  );
}

/** The copies of these students; `id` is the real student's (null when there is none). */
export async function loadDryRunStudents(db: Queryable, runId: string, studentNumbers: string[]): Promise<(Omit<StoredRosterStudent, 'id'> & { id: string | null })[]> {
  if (studentNumbers.length === 0) return [];
  const { rows } = await db.query<Omit<StoredRosterStudent, 'id'> & { id: string | null }>(
    `select student_id as id, student_number as "studentNumber", status, order_id as "orderId", username
     from dry_run_roster_students where run_id = $1 and student_number = any($2::text[])`,
    [runId, studentNumbers],
  );
  return rows;
}

/** As findUsernameOwners, in the dry run's world: its copies where it has them, real students elsewhere. */
export async function findDryRunUsernameOwners(
  db: Queryable,
  runId: string,
  districtId: string,
  usernames: string[],
): Promise<{ keys: Map<string, string>; owners: Map<string, string> }> {
  if (usernames.length === 0) return { keys: new Map(), owners: new Map() };
  const { rows } = await db.query<{ username: string; key: string; owner: string | null }>(
    `select u.username, roster_username_key(u.username) as key, coalesce(copied.student_number, untouched.student_number) as owner
     from unnest($3::text[]) as u(username)
     left join lateral (
       select d.student_number from dry_run_roster_students d where d.run_id = $1 and roster_username_key(d.username) = roster_username_key(u.username) limit 1
     ) copied on true
     left join lateral (
       select s.student_number from students s
       where s.district_id = $2 and roster_username_key(s.username) = roster_username_key(u.username)
         and not exists (select 1 from dry_run_roster_students d where d.run_id = $1 and d.student_number = s.student_number)
       limit 1
     ) untouched on true`,
    [runId, districtId, usernames],
  );
  return {
    keys: new Map(rows.map((r) => [r.username, r.key])),
    owners: new Map(rows.filter((r) => r.owner !== null).map((r) => [r.key, r.owner!])),
  };
}

export async function writeDryRunStudents(db: Queryable, runId: string, students: RosterStudentWrite[]): Promise<void> {
  if (students.length === 0) return;
  await db.query(
    `update dry_run_roster_students t set school_code = s."schoolCode", last_name = s."lastName", first_name = s."firstName", grade = s.grade,
       birth_date = s."dateOfBirth"::date, username = s.username, status = s.status, order_id = s."orderId"
     from jsonb_to_recordset($2::jsonb) as s("studentNumber" text, "schoolCode" text, "lastName" text, "firstName" text, grade text,
       "dateOfBirth" text, username text, status text, "orderId" uuid)
     where t.run_id = $1 and t.student_number = s."studentNumber"`,
    [runId, JSON.stringify(students)],
  );
}

export async function writeDryRunOrders(db: Queryable, runId: string, orders: { id: string; held: number }[]): Promise<void> {
  if (orders.length === 0) return;
  await db.query(
    `update dry_run_roster_orders t set held = u.held from jsonb_to_recordset($2::jsonb) as u(id uuid, held int)
     where t.run_id = $1 and t.order_id = u.id`,
    [runId, JSON.stringify(orders.map((o) => ({ id: o.id, held: o.held })))],
  );
}

export async function clearRosterDryRun(db: Queryable, runId: string): Promise<void> {
  await db.query('delete from dry_run_roster_students where run_id = $1', [runId]);
  await db.query('delete from dry_run_roster_orders where run_id = $1', [runId]);
}
