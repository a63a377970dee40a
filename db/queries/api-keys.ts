import type { Right } from '../../security/api-keys';
import type { Queryable } from './queryable';

export interface StoredApiKey {
  id: string;
  districtId: string;
  name: string;
  /** Checked against RIGHTS when the key was made. */
  rights: Right[];
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

/** A key found by its hash, with what the database clock says about it now. */
export interface PresentedApiKey extends StoredApiKey {
  expired: boolean;
  /** lastUsedAt is unset or over a minute old: time to record a use. */
  useStale: boolean;
}

const COLUMNS = `id, district_id as "districtId", name, rights, created_at as "createdAt", expires_at as "expiresAt",
  revoked_at as "revokedAt", last_used_at as "lastUsedAt"`;

export async function insertApiKey(
  db: Queryable,
  k: { districtId: string; name: string; hash: string; rights: Right[]; expiresAt: Date | null },
): Promise<StoredApiKey> {
  const { rows } = await db.query<StoredApiKey>(
    `insert into api_keys (district_id, name, key_hash, rights, expires_at) values ($1, $2, $3, $4, $5) returning ${COLUMNS}`,
    [k.districtId, k.name, k.hash, k.rights, k.expiresAt],
  );
  return rows[0]!;
}

export async function findApiKeyByHash(db: Queryable, hash: string): Promise<PresentedApiKey | undefined> {
  const { rows } = await db.query<PresentedApiKey>(
    `select ${COLUMNS}, coalesce(expires_at <= now(), false) as expired,
       (last_used_at is null or last_used_at < now() - interval '1 minute') as "useStale"
     from api_keys where key_hash = $1`,
    [hash],
  );
  return rows[0];
}

/** Records a use at most once a minute per key, so a busy key does not write on every request. */
export async function recordApiKeyUse(db: Queryable, id: string): Promise<void> {
  await db.query(`update api_keys set last_used_at = now() where id = $1 and (last_used_at is null or last_used_at < now() - interval '1 minute')`, [id]);
}

/** Every key of the district, revoked ones too, oldest first. */
export async function listApiKeys(db: Queryable, districtId: string): Promise<StoredApiKey[]> {
  const { rows } = await db.query<StoredApiKey>(`select ${COLUMNS} from api_keys where district_id = $1 order by created_at, id`, [districtId]);
  return rows;
}

/** Marks the key revoked (keeping the first revocation time); false when the district has no such key. */
export async function revokeApiKey(db: Queryable, districtId: string, id: string): Promise<boolean> {
  const { rowCount } = await db.query('update api_keys set revoked_at = coalesce(revoked_at, now()) where district_id = $1 and id = $2', [districtId, id]);
  return rowCount === 1;
}
