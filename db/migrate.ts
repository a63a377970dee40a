import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPool, withClient } from './pool';

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

/** Applies db/migrations/NNN_*.sql in order, each in its own transaction, once. */
export async function migrate(databaseUrl: string): Promise<string[]> {
  const pool = createPool(databaseUrl, 1);
  try {
    return await withClient(pool, async (client) => {
      // serialises concurrent starts (worker and API starting together)
      await client.query('select pg_advisory_lock(727172)');
      try {
        await client.query('create table if not exists schema_migrations (version integer primary key, name text not null, applied_at timestamptz not null default now())');
        const done = new Set((await client.query<{ version: number }>('select version from schema_migrations')).rows.map((r) => r.version));
        const files = (await readdir(MIGRATIONS_DIR)).filter((f) => /^\d+_.+\.sql$/.test(f)).sort();
        const applied: string[] = [];
        for (const file of files) {
          const version = Number(file.split('_')[0]);
          if (done.has(version)) continue;
          const sql = await readFile(join(MIGRATIONS_DIR, file), 'utf8');
          await client.query('begin');
          try {
            await client.query(sql);
            await client.query('insert into schema_migrations (version, name) values ($1, $2)', [version, file]);
            await client.query('commit');
          } catch (error) {
            await client.query('rollback');
            throw new MigrationError(`Migration ${file} failed: ${(error as Error).message}`, { cause: error });
          }
          applied.push(file);
        }
        return applied;
      } finally {
        await client.query('select pg_advisory_unlock(727172)');
      }
    });
  } finally {
    await pool.end();
  }
}
