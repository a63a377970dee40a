import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../db/queries/queryable';

/** Rows written straight into the database, for tests of what the schema itself guarantees. */

export async function insertDistrict(db: Queryable, name: string): Promise<string> {
  return (await db.query<{ id: string }>(`insert into districts (name, time_zone) values ($1, 'UTC') returning id`, [name])).rows[0]!.id;
}

export async function insertStudent(db: Queryable, districtId: string, studentNumber: string): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `insert into students (district_id, student_number, first_name, last_name) values ($1, $2, 'F', 'L') returning id`,
    [districtId, studentNumber],
  );
  return rows[0]!.id;
}

/** A Test Import run of an eligibility import, running, with no workflow behind it. */
export async function insertRun(db: Queryable, districtId: string): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `insert into runs (district_id, import_name, kind, mode, trigger, status, workflow_id) values ($1, 'rows', 'eligibility', 'test', 'manual', 'running', $2) returning id`,
    [districtId, `rows-${randomUUID()}`],
  );
  return rows[0]!.id;
}

export async function insertRunFile(db: Queryable, runId: string, ordinal: number): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `insert into run_files (run_id, ordinal, name, size, modified_at, status) values ($1, $2, $3, 0, now(), 'claimed') returning id`,
    [runId, ordinal, `f${ordinal}.csv`],
  );
  return rows[0]!.id;
}
