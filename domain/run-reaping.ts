import type { RunEnding } from '../runs/end-run';

/** Where a run's workflow stands in Temporal, as the run reaper sees it. */
export type WorkflowState = 'running' | 'completed' | 'failed' | 'canceled' | 'terminated' | 'timed-out' | 'not-found';

const LEFT = 'The run reaper ended the run; files not processed stay in place, not renamed.';

/**
 * How the reaper ends a queued or running run whose workflow is in `state`; null while the workflow
 * still runs. A workflow that is gone can no longer end its run, so the run's status must say why.
 */
export function reapedEnding(state: WorkflowState): RunEnding | null {
  switch (state) {
    case 'running':
      return null;
    case 'not-found':
      return failed('WORKFLOW_LOST', `The run's workflow does not exist (the service stopped before starting it, or Temporal no longer keeps it). ${LEFT}`);
    case 'terminated':
      return failed('WORKFLOW_TERMINATED', `The run's workflow was terminated in Temporal. ${LEFT}`);
    case 'timed-out':
      return failed('WORKFLOW_TIMED_OUT', `The run's workflow timed out in Temporal. ${LEFT}`);
    case 'failed':
      return failed('WORKFLOW_FAILED', `The run's workflow failed before it could record the run's end. ${LEFT}`);
    case 'completed':
      return failed('WORKFLOW_ENDED', `The run's workflow ended without recording the run's end. ${LEFT}`);
    case 'canceled':
      return { status: 'canceled', problem: { line: null, severity: 'warning', code: 'RUN_CANCELED', message: `The run's workflow was canceled; the chunks it committed are kept. ${LEFT}` } };
  }
}

function failed(code: string, message: string): RunEnding {
  return { status: 'failed', error: { code, message } };
}
