import type { Queryable } from '../../db/queries/queryable';

/**
 * Students L0000000 … of a district (as loadStudentNumber spells them), written straight in SQL: a load test's set-up, far faster than
 * PUT /api/students for hundreds of thousands, and not what is measured.
 */
export async function insertLoadStudents(db: Queryable, districtId: string, count: number): Promise<void> {
  await db.query(
    `insert into students (district_id, student_number, first_name, last_name)
     select $1, 'L' || lpad(g::text, 7, '0'), 'Load', 'Student' || g from generate_series(0, $2::int - 1) g`,
    [districtId, count],
  );
}

/** The MD5 of the district's eligibility records (student|e|c|start|end, sorted), to compare with expectedRecordsFingerprint. */
export async function recordsFingerprint(db: Queryable, districtId: string): Promise<{ records: number; md5: string }> {
  const { rows } = await db.query<{ records: number; md5: string }>(
    `select count(*)::int as records,
            md5(coalesce(string_agg(line, E'\\n' order by line collate "C"), '')) as md5
     from (select s.student_number || '|' || e.eligibility || '|' || e.certified_type || '|' || to_char(e.start_date, 'YYYY-MM-DD')
                  || '|' || coalesce(to_char(e.end_date, 'YYYY-MM-DD'), '') as line
           from eligibility_records e join students s on s.id = e.student_id where e.district_id = $1) l`,
    [districtId],
  );
  return rows[0]!;
}
