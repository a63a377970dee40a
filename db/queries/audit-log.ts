import type { Queryable } from './queryable';

export interface AuditEntry {
  keyId: string | null;
  districtId: string | null;
  method: string;
  route: string | null;
  objectId: string | null;
  /** null while the request is still being handled */
  status: number | null;
}

export interface StoredAuditEntry extends AuditEntry {
  /** bigserial as text: ids are strings in the API */
  id: string;
  at: Date;
}

/** Returns the new entry's id. */
export async function insertAuditEntry(db: Queryable, e: AuditEntry): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `insert into audit_log (key_id, district_id, method, route, object_id, status) values ($1, $2, $3, $4, $5, $6) returning id::text as id`,
    [e.keyId, e.districtId, e.method, e.route, e.objectId, e.status],
  );
  return rows[0]!.id;
}

/** Fills in what is known once the request has been handled; a district or object learned on the way wins. */
export async function completeAuditEntry(db: Queryable, id: string, outcome: { status: number; districtId: string | null; objectId: string | null }): Promise<void> {
  await db.query(
    `update audit_log set status = $2, district_id = coalesce($3, district_id), object_id = coalesce($4, object_id) where id = $1`,
    [id, outcome.status, outcome.districtId, outcome.objectId],
  );
}

/** Newest first; `before` is the id of the last entry of the previous page. (Ordered by the column: the output's id is text.) */
export async function listAuditEntries(db: Queryable, districtId: string, page: { limit: number; before?: string }): Promise<StoredAuditEntry[]> {
  const { rows } = await db.query<StoredAuditEntry>(
    `select id::text as id, at, key_id as "keyId", district_id as "districtId", method, route, object_id as "objectId", status
     from audit_log
     where district_id = $1 and ($2::bigint is null or id < $2::bigint)
     order by audit_log.id desc
     limit $3`,
    [districtId, page.before ?? null, page.limit],
  );
  return rows;
}
