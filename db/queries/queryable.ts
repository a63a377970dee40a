import type pg from 'pg';

/** A pool or a client inside a transaction. */
export type Queryable = Pick<pg.Pool, 'query'>;
