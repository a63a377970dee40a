import pg from 'pg';

export type Db = pg.Pool;
export type DbClient = pg.PoolClient;

// DATE columns stay 'YYYY-MM-DD' strings: a Date would shift them by the local time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);
// bigint counts fit in a JS number here (file sizes, row counts)
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export function createPool(databaseUrl: string, max = 10): Db {
  const pool = new pg.Pool({ connectionString: databaseUrl, max });
  // an idle client's error (e.g. the server restarting) must not crash the process
  pool.on('error', () => {});
  return pool;
}

/** Runs fn with a pooled client that is always released. */
export async function withClient<T>(db: Db, fn: (client: DbClient) => Promise<T>): Promise<T> {
  const client = await db.connect();
  // A checked-out client whose server goes away (a restart) emits 'error' besides failing its query; with no
  // listener that event would crash the process. The client is then discarded, not returned to the pool.
  let lost: Error | undefined;
  const onError = (error: Error) => {
    lost = error;
  };
  client.on('error', onError);
  try {
    return await fn(client);
  } finally {
    client.removeListener('error', onError);
    client.release(lost);
  }
}

/** Runs fn in one transaction: commit on success, rollback on any error. */
export async function withTransaction<T>(db: Db, fn: (client: DbClient) => Promise<T>): Promise<T> {
  return withClient(db, async (client) => {
    await client.query('begin');
    try {
      const result = await fn(client);
      await client.query('commit');
      return result;
    } catch (error) {
      await client.query('rollback').catch(() => {});
      throw error;
    }
  });
}
