import type { Queryable } from './queryable';

export interface School {
  code: string;
  name: string;
}

export class SchoolCodeTakenError extends Error {
  override readonly name = 'SchoolCodeTakenError';
}

export async function insertSchool(db: Queryable, districtId: string, school: School): Promise<School> {
  try {
    const { rows } = await db.query<School>('insert into schools (district_id, code, name) values ($1, $2, $3) returning code, name', [districtId, school.code, school.name]);
    return rows[0]!;
  } catch (error) {
    if ((error as { constraint?: string }).constraint === 'schools_district_id_code_key') {
      throw new SchoolCodeTakenError(`The district already has a school with code ${JSON.stringify(school.code)}.`, { cause: error });
    }
    throw error;
  }
}

export async function listSchools(db: Queryable, districtId: string): Promise<School[]> {
  const { rows } = await db.query<School>('select code, name from schools where district_id = $1 order by code', [districtId]);
  return rows;
}

/** Which of `codes` are schools of the district. */
export async function findSchoolCodes(db: Queryable, districtId: string, codes: string[]): Promise<Set<string>> {
  if (codes.length === 0) return new Set();
  const { rows } = await db.query<{ code: string }>('select code from schools where district_id = $1 and code = any($2::text[])', [districtId, codes]);
  return new Set(rows.map((r) => r.code));
}
