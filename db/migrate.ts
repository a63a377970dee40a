/** Applies db/migrations/NNN_*.sql in order, each in its own transaction. */
export async function migrate(_databaseUrl: string): Promise<void> {
  throw new Error('not written yet');
}
