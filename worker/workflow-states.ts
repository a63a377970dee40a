import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { WorkflowState } from '../domain/run-reaping';

const STATES: Record<string, WorkflowState> = {
  RUNNING: 'running',
  // a workflow that continued as new is described by its latest execution; this is only a fallback
  CONTINUED_AS_NEW: 'running',
  COMPLETED: 'completed',
  FAILED: 'failed',
  CANCELLED: 'canceled',
  TERMINATED: 'terminated',
  TIMED_OUT: 'timed-out',
};

/** Describes a workflow by id (its latest execution); one Temporal no longer has, or never had, is `not-found`. */
export function workflowStates(client: Client): (workflowId: string) => Promise<WorkflowState> {
  return async (workflowId) => {
    try {
      const described = await client.workflow.getHandle(workflowId).describe();
      // an unknown status is treated as running: the reaper then leaves the run alone
      return STATES[described.status.name] ?? 'running';
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return 'not-found';
      throw error;
    }
  };
}
