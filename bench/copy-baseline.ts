import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import type { Db } from '../db/pool';

/**
 * The physical limit beside our figure: the same file COPYed (CSV, header skipped) into a table of text
 * columns with no keys, indexes or constraints, in the same PostgreSQL. Answers rows per second.
 */
export async function copyRowsPerSecond(db: Db, path: string, columns: number, rows: number): Promise<number> {
  const table = `bench_copy_${process.pid}`;
  const client = await db.connect();
  try {
    await client.query(`create table ${table} (${Array.from({ length: columns }, (_, i) => `c${i} text`).join(', ')})`);
    const started = performance.now();
    await pipeline(createReadStream(path), client.query(copyFrom(`copy ${table} from stdin with (format csv, header true)`)));
    const seconds = (performance.now() - started) / 1000;
    const { rows: counted } = await client.query<{ n: number }>(`select count(*)::int as n from ${table}`);
    if (counted[0]!.n !== rows) throw new Error(`COPY loaded ${counted[0]!.n} rows, the file has ${rows}`);
    return rows / seconds;
  } finally {
    await client.query(`drop table if exists ${table}`).catch(() => undefined);
    client.release();
  }
}
