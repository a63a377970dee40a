import type { Queryable } from './queryable';

/** A batch submission as the Batch Queue shows it: the status is its run's (`running` reads `processing`). */
export type BatchStatus = 'queued' | 'processing' | 'completed' | 'failed' | 'canceled';

export interface StoredBatch {
  id: string;
  districtId: string;
  /** Null once the import was deleted. */
  importId: string | null;
  runId: string;
  workflowId: string;
  status: BatchStatus;
  startAt: string;
  highPriority: boolean;
  keepUntilDeleted: boolean;
  createdAt: string;
  finishedAt: string | null;
}

const FROM = `batch_submissions b join runs r on r.id = b.run_id`;
const COLUMNS = `b.id, b.district_id as "districtId", r.import_id as "importId", b.run_id as "runId", r.workflow_id as "workflowId",
  case r.status when 'running' then 'processing' else r.status end as status,
  b.start_at as "startAt", b.high_priority as "highPriority", b.keep_until_deleted as "keepUntilDeleted",
  b.created_at as "createdAt", r.finished_at as "finishedAt"`;
const FINISHED = `r.status in ('completed', 'failed', 'canceled')`;

export async function insertBatch(
  db: Queryable,
  b: Pick<StoredBatch, 'id' | 'districtId' | 'runId' | 'highPriority' | 'keepUntilDeleted'> & { startAt: Date },
): Promise<void> {
  await db.query(
    `insert into batch_submissions (id, district_id, run_id, start_at, high_priority, keep_until_deleted) values ($1, $2, $3, $4, $5, $6)`,
    [b.id, b.districtId, b.runId, b.startAt, b.highPriority, b.keepUntilDeleted],
  );
}

/** The district's submissions, the next to start first. */
export async function listDistrictBatches(db: Queryable, districtId: string): Promise<StoredBatch[]> {
  const { rows } = await db.query<StoredBatch>(`select ${COLUMNS} from ${FROM} where b.district_id = $1 order by b.start_at, b.created_at`, [districtId]);
  return rows;
}

export async function findDistrictBatch(db: Queryable, districtId: string, id: string): Promise<StoredBatch | undefined> {
  const { rows } = await db.query<StoredBatch>(`select ${COLUMNS} from ${FROM} where b.district_id = $1 and b.id = $2`, [districtId, id]);
  return rows[0];
}

/** Deletes a finished submission's run, and with it the submission and the run's report; false when it has not finished. */
export async function deleteFinishedBatch(db: Queryable, districtId: string, id: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `delete from runs r using batch_submissions b where b.run_id = r.id and b.district_id = $1 and b.id = $2 and ${FINISHED}`,
    [districtId, id],
  );
  return rowCount === 1;
}

/** Retention: the runs (so the submissions and reports) of finished submissions not kept until deleted, finished before `finishedBefore`. */
export async function deleteExpiredBatches(db: Queryable, finishedBefore: Date): Promise<number> {
  const { rowCount } = await db.query(
    `delete from runs r using batch_submissions b where b.run_id = r.id and not b.keep_until_deleted and ${FINISHED} and r.finished_at < $1`,
    [finishedBefore],
  );
  return rowCount ?? 0;
}
