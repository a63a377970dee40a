import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import type { DbClient } from '../pool';

/** One COPY … FROM STDIN statement in progress on a client. */
export interface CopyIn {
  /** Sends text; waits while PostgreSQL is behind. Fails once the statement has failed. */
  write(text: string): Promise<void>;
  /** Ends the statement and waits until PostgreSQL has taken every row. */
  end(): Promise<void>;
}

/**
 * Starts a COPY whose failure is never lost: PostgreSQL may refuse the statement (a full disk, a
 * broken constraint) while the caller is busy elsewhere, e.g. reading the file. The stream then emits
 * one 'error' and stops draining, so an unheard error would crash the process and a later wait for
 * 'drain' or 'finish' would never end. The error is kept and every later call fails with it.
 */
export function startCopy(client: DbClient, sql: string): CopyIn {
  const stream = client.query(copyFrom(sql));
  let failure: Error | null = null;
  const failed = new Promise<never>((_, reject) => {
    stream.on('error', (error: Error) => {
      failure = error;
      reject(error);
    });
  });
  failed.catch(() => {});
  const checked = async (waiting: Promise<unknown>) => {
    waiting.catch(() => {});
    await Promise.race([waiting, failed]);
  };
  return {
    async write(text) {
      if (failure) throw failure;
      if (!stream.write(text)) await checked(once(stream, 'drain'));
    },
    async end() {
      if (failure) throw failure;
      stream.end();
      await checked(finished(stream));
    },
  };
}
