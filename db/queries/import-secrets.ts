import type { Queryable } from './queryable';

/** Every import's sealed credentials, locked until the transaction ends (re-sealing after a key rotation). */
export async function lockAllSealedSecrets(db: Queryable): Promise<{ id: string; sealed: Buffer }[]> {
  const { rows } = await db.query<{ id: string; sealed: Buffer }>('select id, secrets as sealed from imports where secrets is not null order by id for update');
  return rows;
}

export async function setSealedSecrets(db: Queryable, id: string, sealed: Buffer): Promise<void> {
  await db.query('update imports set secrets = $2 where id = $1', [id, sealed]);
}
