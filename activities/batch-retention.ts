import type { AppConfig } from '../config';
import { deleteExpiredBatches } from '../db/queries/batches';
import type { MaintenanceDeps } from './maintenance-deps';

const DAY_MS = 24 * 60 * 60 * 1000;

export function createBatchRetentionActivity(deps: Pick<MaintenanceDeps, 'db' | 'now'> & { config: Pick<AppConfig, 'batchRetentionDays'> }) {
  return {
    /** Finished batch submissions older than BATCH_RETENTION_DAYS, with their runs and reports, unless kept until deleted. */
    async removeExpiredBatches(): Promise<{ removed: number }> {
      const now = deps.now?.() ?? new Date();
      const finishedBefore = new Date(now.getTime() - deps.config.batchRetentionDays * DAY_MS);
      return { removed: await deleteExpiredBatches(deps.db, finishedBefore) };
    },
  };
}
