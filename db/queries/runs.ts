import type { ConnectionSettings } from '../../domain/connection';
import type { RunMode, RunTrigger } from '../../domain/runs';
import type { Queryable } from './queryable';

export type RunStatus = 'queued' | 'running' | 'completed' | 'failed' | 'canceled';

export interface RunError {
  code: string;
  message: string;
}

/** What the step after a real run did (error file, e-mail); null until it has run, and always for a dry run. */
export interface AfterRunRecord {
  /** The error file written into the run's directory; null when no row failed or it could not be written. */
  errorFile: string | null;
  /** `none`: no addresses, or no file taken and no failure to tell; `logged`: no SMTP_URL, so the worker log has it. */
  email: 'none' | 'sent' | 'logged' | 'failed';
  /** What failed (`ERROR_FILE_NOT_WRITTEN`, `EMAIL_NOT_SENT`); the run's status stays as it was. */
  problems: RunError[];
}

export interface StoredRun {
  id: string;
  districtId: string;
  importId: string | null;
  importName: string;
  kind: string;
  /** The kind's settings when the run was created (eligibility: the mapping); the run uses these. */
  settings: unknown;
  /** The connection settings (never secrets) when the run was created; null only for runs whose import is gone. */
  connection: ConnectionSettings | null;
  mode: RunMode;
  trigger: RunTrigger;
  status: RunStatus;
  workflowId: string;
  /** Rows read by the chunks applied so far. */
  rowsRead: number;
  rowsApplied: number;
  /** Over the files the run took (not skipped): bytes downloaded so far, and the files' sizes when claimed. */
  bytesRead: number;
  bytesTotal: number;
  /** Rows of the files whose staging has finished (a file's rows count once it is staged whole). */
  rowsStaged: number;
  summary: Record<string, number> | null;
  error: RunError | null;
  afterRun: AfterRunRecord | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

// the files' figures are summed from run_files here, so every read of a run (one or a page of them) shows them
const FILE_PROGRESS = `(select coalesce(sum(f.bytes_read), 0)::float8 from run_files f where f.run_id = runs.id and f.status <> 'skipped') as "bytesRead",
  (select coalesce(sum(f.size), 0)::float8 from run_files f where f.run_id = runs.id and f.status <> 'skipped') as "bytesTotal",
  (select coalesce(sum(f.rows), 0)::float8 from run_files f where f.run_id = runs.id and f.status not in ('skipped', 'failed')) as "rowsStaged"`;

const COLUMNS = `id, district_id as "districtId", import_id as "importId", import_name as "importName", kind, settings, connection, mode, trigger, status,
  workflow_id as "workflowId", rows_read as "rowsRead", rows_applied as "rowsApplied", ${FILE_PROGRESS}, summary, error,
  after_run as "afterRun", created_at as "createdAt", started_at as "startedAt", finished_at as "finishedAt"`;

export class RunInProgressError extends Error {
  override readonly name = 'RunInProgressError';
}

/** The partial unique indexes that allow one queued or running run of an import per mode. */
const ONE_ACTIVE_RUN_PER_MODE = ['runs_one_active_real_run', 'runs_one_active_test_run'];

export async function insertRun(
  db: Queryable,
  r: Pick<StoredRun, 'id' | 'districtId' | 'importName' | 'kind' | 'settings' | 'mode' | 'trigger' | 'workflowId'> & { importId: string; connection: ConnectionSettings },
): Promise<StoredRun> {
  try {
    const { rows } = await db.query<StoredRun>(
      `insert into runs (id, district_id, import_id, import_name, kind, settings, connection, mode, trigger, status, workflow_id)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'queued', $10) returning ${COLUMNS}`,
      [r.id, r.districtId, r.importId, r.importName, r.kind, JSON.stringify(r.settings), r.connection, r.mode, r.trigger, r.workflowId],
    );
    return rows[0]!;
  } catch (error) {
    if (ONE_ACTIVE_RUN_PER_MODE.includes((error as { constraint?: string }).constraint ?? '')) {
      throw new RunInProgressError(`A ${r.mode === 'test' ? 'test run' : 'run'} of this import is already queued or running.`, { cause: error });
    }
    throw error;
  }
}

export async function findRun(db: Queryable, id: string): Promise<StoredRun | undefined> {
  const { rows } = await db.query<StoredRun>(`select ${COLUMNS} from runs where id = $1`, [id]);
  return rows[0];
}

export async function findDistrictRun(db: Queryable, districtId: string, id: string): Promise<StoredRun | undefined> {
  const { rows } = await db.query<StoredRun>(`select ${COLUMNS} from runs where district_id = $1 and id = $2`, [districtId, id]);
  return rows[0];
}

export async function listRuns(db: Queryable, districtId: string, filter: { importId?: string; limit: number }): Promise<StoredRun[]> {
  const { rows } = await db.query<StoredRun>(
    `select ${COLUMNS} from runs where district_id = $1 and ($2::uuid is null or import_id = $2) order by created_at desc limit $3`,
    [districtId, filter.importId ?? null, filter.limit],
  );
  return rows;
}

/** How the import's newest run (by creation, whatever its mode or trigger) stands. */
export async function findLatestRun(db: Queryable, importId: string): Promise<Pick<StoredRun, 'id' | 'status' | 'finishedAt'> | undefined> {
  const { rows } = await db.query<Pick<StoredRun, 'id' | 'status' | 'finishedAt'>>(
    'select id, status, finished_at as "finishedAt" from runs where import_id = $1 order by created_at desc, id desc limit 1',
    [importId],
  );
  return rows[0];
}

/**
 * False when the run is no longer queued or running (e.g. a batch canceled before it started). A queued
 * batch run takes its import here: RunInProgressError while another real run of the import holds it.
 */
export async function markRunRunning(db: Queryable, id: string): Promise<boolean> {
  try {
    const { rowCount } = await db.query(`update runs set status = 'running', started_at = coalesce(started_at, now()) where id = $1 and status in ('queued', 'running')`, [id]);
    return rowCount === 1;
  } catch (error) {
    if ((error as { constraint?: string }).constraint === 'runs_one_active_real_run') {
      throw new RunInProgressError('Another run of this import is queued or running.', { cause: error });
    }
    throw error;
  }
}

/** Only a run that has not started (or, from the workflow, one whose start was interrupted) ends canceled; false otherwise. */
export async function markRunCanceled(db: Queryable, id: string, from: readonly RunStatus[] = ['queued']): Promise<boolean> {
  const { rowCount } = await db.query(`update runs set status = 'canceled', finished_at = now() where id = $1 and status = any($2::text[])`, [id, from]);
  return rowCount === 1;
}

export const FINAL_RUN_STATUSES: readonly RunStatus[] = ['completed', 'failed', 'canceled'];

export function isFinalRunStatus(status: RunStatus): boolean {
  return FINAL_RUN_STATUSES.includes(status);
}

/**
 * Gives a queued or running run its final status; false when it had one already (whoever ends it first
 * wins: the workflow, the reaper, a cancel). Takes the run's row lock, so a chunk committing meanwhile
 * is either counted before it or rolled back (addRunProgress).
 */
export async function markRunEnded(db: Queryable, id: string, end: { status: 'completed' | 'failed' | 'canceled'; error: RunError | null }): Promise<boolean> {
  const { rowCount } = await db.query(
    `update runs set status = $2, error = $3, finished_at = now() where id = $1 and status in ('queued', 'running')`,
    [id, end.status, end.error],
  );
  return rowCount === 1;
}

export async function setRunSummary(db: Queryable, id: string, summary: Record<string, number>): Promise<void> {
  await db.query('update runs set summary = $2 where id = $1', [id, summary]);
}

/** The run's staged rows and kind's copies are gone. */
export async function markRunCleaned(db: Queryable, id: string): Promise<void> {
  await db.query('update runs set cleaned_at = now() where id = $1', [id]);
}

/** Queued or running runs created before `createdBefore`, oldest first: the reaper asks Temporal about each. */
export async function listUnfinishedRuns(db: Queryable, createdBefore: Date, limit: number): Promise<Pick<StoredRun, 'id' | 'workflowId'>[]> {
  const { rows } = await db.query<Pick<StoredRun, 'id' | 'workflowId'>>(
    `select id, workflow_id as "workflowId" from runs where status in ('queued', 'running') and created_at < $1 order by created_at limit $2`,
    [createdBefore, limit],
  );
  return rows;
}

/**
 * Finished runs that still have leftovers: never cleaned (e.g. ended by a batch cancel), or with staged
 * rows written after they ended (an activity a cancel or termination did not stop at once).
 */
export async function listUncleanedRuns(db: Queryable, limit: number): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `(select id from runs where cleaned_at is null and status in ('completed', 'failed', 'canceled') order by finished_at limit $1)
     union
     (select distinct f.run_id from staged_rows s join run_files f on f.id = s.run_file_id join runs r on r.id = f.run_id
      where r.status in ('completed', 'failed', 'canceled') limit $1)`,
    [limit],
  );
  return rows.map((r) => r.id);
}

export async function markRunFailed(db: Queryable, id: string, error: RunError, summary: Record<string, number> | null): Promise<void> {
  await db.query(`update runs set status = 'failed', error = $2, summary = $3, finished_at = now() where id = $1`, [id, error, summary]);
}

/**
 * Counts a chunk's rows on its run; false when the run has ended meanwhile (its caller then rolls the
 * chunk back, so an ended run changes nothing more). Waits on the row lock of a run being ended.
 */
export async function addRunProgress(db: Queryable, id: string, rowsRead: number, rowsApplied: number): Promise<boolean> {
  const { rowCount } = await db.query(
    `update runs set rows_read = rows_read + $2, rows_applied = rows_applied + $3 where id = $1 and status in ('queued', 'running')`,
    [id, rowsRead, rowsApplied],
  );
  return rowCount === 1;
}

export async function setRunAfterRun(db: Queryable, id: string, afterRun: AfterRunRecord): Promise<void> {
  await db.query('update runs set after_run = $2 where id = $1', [id, afterRun]);
}

/**
 * Serialises, until the transaction ends, the transactions that count a district's runs. A row lock
 * that does not conflict with the key-share locks of foreign keys, so rows referencing the district
 * (runs of schedules, students, records) are written meanwhile.
 */
export async function lockDistrictRunCount(db: Queryable, districtId: string): Promise<void> {
  await db.query('select 1 from districts where id = $1 for no key update', [districtId]);
}

/** Runs of the district queued or running, as this transaction sees them; a batch waiting for its start time is not one. */
export async function countActiveRuns(db: Queryable, districtId: string): Promise<number> {
  const { rows } = await db.query<{ count: number }>(
    `select count(*)::int as count from runs where district_id = $1 and (status = 'running' or (status = 'queued' and trigger <> 'batch'))`,
    [districtId],
  );
  return rows[0]!.count;
}
