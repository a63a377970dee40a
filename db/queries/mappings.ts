import type { EligibilityMapping } from '../../kinds/eligibility/mapping';
import type { Queryable } from './queryable';

export interface StoredMapping {
  id: string;
  definition: EligibilityMapping;
  createdAt: string;
}

export async function insertMapping(db: Queryable, districtId: string, definition: EligibilityMapping): Promise<StoredMapping> {
  const { rows } = await db.query<StoredMapping>(
    `insert into mappings (district_id, name, definition) values ($1, $2, $3) returning id, definition, created_at as "createdAt"`,
    [districtId, definition.name, definition],
  );
  return rows[0]!;
}

export async function findMapping(db: Queryable, districtId: string, id: string): Promise<StoredMapping | undefined> {
  const { rows } = await db.query<StoredMapping>(
    'select id, definition, created_at as "createdAt" from mappings where district_id = $1 and id = $2',
    [districtId, id],
  );
  return rows[0];
}

export async function listMappings(db: Queryable, districtId: string): Promise<StoredMapping[]> {
  const { rows } = await db.query<StoredMapping>(
    'select id, definition, created_at as "createdAt" from mappings where district_id = $1 order by created_at',
    [districtId],
  );
  return rows;
}
