import type { Queryable } from './queryable';

export interface StoredWebSession {
  /** Both null for a session of the platform admin key. */
  apiKeyId: string | null;
  districtId: string | null;
  sealedKey: Buffer;
}

export async function insertWebSession(
  db: Queryable,
  s: { idHash: Buffer; apiKeyId: string | null; districtId: string | null; sealedKey: Buffer; maxAgeMinutes: number },
): Promise<void> {
  await db.query(
    `insert into web_sessions (id_hash, api_key_id, district_id, sealed_key, expires_at)
     values ($1, $2, $3, $4, now() + make_interval(mins => $5))`,
    [s.idHash, s.apiKeyId, s.districtId, s.sealedKey, s.maxAgeMinutes],
  );
}

/** The session if it has been used within `idleMinutes` and is not past its absolute end; marks it seen. */
export async function touchWebSession(db: Queryable, idHash: Buffer, idleMinutes: number): Promise<StoredWebSession | undefined> {
  const { rows } = await db.query<StoredWebSession>(
    `update web_sessions set last_seen_at = now()
     where id_hash = $1 and last_seen_at > now() - make_interval(mins => $2) and expires_at > now()
     returning api_key_id as "apiKeyId", district_id as "districtId", sealed_key as "sealedKey"`,
    [idHash, idleMinutes],
  );
  return rows[0];
}

export async function deleteWebSession(db: Queryable, idHash: Buffer): Promise<void> {
  await db.query('delete from web_sessions where id_hash = $1', [idHash]);
}

/** Sessions past their idle or absolute end: removed whenever someone signs in, so the table stays small. */
export async function deleteEndedWebSessions(db: Queryable, idleMinutes: number): Promise<void> {
  await db.query('delete from web_sessions where last_seen_at <= now() - make_interval(mins => $1) or expires_at <= now()', [idleMinutes]);
}
