import { copyLine, type CopyValue } from '../../domain/copy-text';
import type { DbClient } from '../pool';
import { startCopy } from './copy-stream';

/** Rows of COPY text per write: a chunk's rows are bounded by the chunk size, this bounds one string. */
const ROWS_PER_WRITE = 2000;

/**
 * Inserts rows with one COPY statement on the caller's client (inside its transaction, if any):
 * far cheaper per row than an insert with parameters. Column names are the caller's constants.
 */
export async function copyRows(client: DbClient, table: string, columns: readonly string[], rows: readonly (readonly CopyValue[])[]): Promise<void> {
  if (rows.length === 0) return;
  const copy = startCopy(client, `copy ${table} (${columns.join(', ')}) from stdin`);
  for (let from = 0; from < rows.length; from += ROWS_PER_WRITE) {
    let text = '';
    const to = Math.min(rows.length, from + ROWS_PER_WRITE);
    for (let i = from; i < to; i++) text += copyLine(rows[i]!);
    await copy.write(text);
  }
  await copy.end();
}
