import type { Queryable } from './queryable';

/**
 * Records the students a chunk's rows name, keeping the earliest line per student, and returns the
 * first line naming each of them in the whole file so far. Runs in the chunk's transaction: a chunk
 * that rolls back leaves nothing behind, so its retry is not a duplicate of itself.
 */
export async function recordFileStudents(db: Queryable, runFileId: string, named: { studentNumber: string; line: number }[]): Promise<Map<string, number>> {
  if (named.length === 0) return new Map();
  // one entry per student: a statement may not update the same row twice
  const first = new Map<string, number>();
  for (const { studentNumber, line } of named) first.set(studentNumber, Math.min(line, first.get(studentNumber) ?? line));
  const { rows } = await db.query<{ studentNumber: string; firstLine: number }>(
    `insert into roster_file_students (run_file_id, student_number, first_line)
     select $1, n.student_number, n.line from unnest($2::text[], $3::int[]) as n(student_number, line)
     on conflict (run_file_id, student_number) do update set first_line = least(roster_file_students.first_line, excluded.first_line)
     returning student_number as "studentNumber", first_line as "firstLine"`,
    [runFileId, [...first.keys()], [...first.values()]],
  );
  return new Map(rows.map((r) => [r.studentNumber, r.firstLine]));
}

export async function clearRosterFileStudents(db: Queryable, runId: string): Promise<void> {
  await db.query('delete from roster_file_students where run_file_id in (select id from run_files where run_id = $1)', [runId]);
}
