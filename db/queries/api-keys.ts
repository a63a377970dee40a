import type { Queryable } from './queryable';

export interface StoredApiKey {
  id: string;
  districtId: string;
  name: string;
  rights: string[];
}

export async function insertApiKey(db: Queryable, k: { districtId: string; name: string; hash: string; rights: string[] }): Promise<StoredApiKey> {
  const { rows } = await db.query<StoredApiKey>(
    `insert into api_keys (district_id, name, key_hash, rights) values ($1, $2, $3, $4)
     returning id, district_id as "districtId", name, rights`,
    [k.districtId, k.name, k.hash, k.rights],
  );
  return rows[0]!;
}

export async function findApiKeyByHash(db: Queryable, hash: string): Promise<StoredApiKey | undefined> {
  const { rows } = await db.query<StoredApiKey>(
    'select id, district_id as "districtId", name, rights from api_keys where key_hash = $1',
    [hash],
  );
  return rows[0];
}
