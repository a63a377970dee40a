import type { AppConfig } from '../config';
import type { Db } from '../db/pool';
import { deleteExpiredBatches } from '../db/queries/batches';

export interface MaintenanceDeps {
  db: Db;
  config: Pick<AppConfig, 'batchRetentionDays'>;
  /** The clock retention counts from; tests shift it. */
  now?: () => Date;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function createBatchRetentionActivity(deps: MaintenanceDeps) {
  return {
    /** Finished batch submissions older than BATCH_RETENTION_DAYS, with their runs and reports, unless kept until deleted. */
    async removeExpiredBatches(): Promise<{ removed: number }> {
      const now = deps.now?.() ?? new Date();
      const finishedBefore = new Date(now.getTime() - deps.config.batchRetentionDays * DAY_MS);
      return { removed: await deleteExpiredBatches(deps.db, finishedBefore) };
    },
  };
}
