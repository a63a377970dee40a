import type { AppConfig } from '../config';
import type { Db } from '../db/pool';
import type { WorkflowState } from '../domain/run-reaping';

export interface MaintenanceDeps {
  db: Db;
  config: Pick<AppConfig, 'batchRetentionDays' | 'runReaperGraceSeconds'>;
  /** Where a workflow (by id, its latest execution) stands in Temporal. */
  workflowState: (workflowId: string) => Promise<WorkflowState>;
  /** The clock retention and the reaper's grace period count from; tests shift it. */
  now?: () => Date;
}
