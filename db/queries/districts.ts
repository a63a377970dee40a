import type { Queryable } from './queryable';

export interface District {
  id: string;
  name: string;
  timeZone: string;
  certifiedTypes: string[];
}

const COLUMNS = 'id, name, time_zone as "timeZone", certified_types as "certifiedTypes"';

export async function insertDistrict(db: Queryable, d: { name: string; timeZone: string }): Promise<District> {
  const { rows } = await db.query<District>(`insert into districts (name, time_zone) values ($1, $2) returning ${COLUMNS}`, [d.name, d.timeZone]);
  return rows[0]!;
}

export async function findDistrict(db: Queryable, id: string): Promise<District | undefined> {
  const { rows } = await db.query<District>(`select ${COLUMNS} from districts where id = $1`, [id]);
  return rows[0];
}
