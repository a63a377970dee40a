import type { Queryable } from './queryable';

/** The run-level RUN_CAP_REACHED warning is written whole each time (listing, then the row cap): one per run. */
export async function clearRunCapProblems(db: Queryable, runId: string): Promise<void> {
  await db.query(`delete from problems where run_id = $1 and run_file_id is null and code = 'RUN_CAP_REACHED'`, [runId]);
}

export async function requestRunStop(db: Queryable, runId: string): Promise<void> {
  await db.query('insert into run_stop_requests (run_id) values ($1) on conflict do nothing', [runId]);
}

export async function isRunStopRequested(db: Queryable, runId: string): Promise<boolean> {
  const { rows } = await db.query('select 1 from run_stop_requests where run_id = $1', [runId]);
  return rows.length > 0;
}

export async function clearRunStopRequest(db: Queryable, runId: string): Promise<void> {
  await db.query('delete from run_stop_requests where run_id = $1', [runId]);
}
