import type { Client } from '@temporalio/client';
import { activitySeconds } from './activity-seconds';

/**
 * Events in the history of every execution of `workflowId` (a run continued as new has several), and the seconds
 * each activity type took in them, once the last one has closed; visibility lags a little, so it waits for the
 * list to show a closed final execution.
 */
export async function readRunHistory(
  client: Client,
  workflowId: string,
  timeoutMs = 60_000,
): Promise<{ events: number; executions: number; activitySeconds: Record<string, number> }> {
  await client.workflow.getHandle(workflowId).result().catch(() => undefined);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const runIds: string[] = [];
    let closed = false;
    for await (const execution of client.workflow.list({ query: `WorkflowId = '${workflowId.replace(/'/g, "\\'")}'` })) {
      runIds.push(execution.runId);
      if (execution.status.name !== 'RUNNING' && execution.status.name !== 'CONTINUED_AS_NEW') closed = true;
    }
    if (closed || Date.now() > deadline) {
      const histories = [];
      for (const runId of runIds) histories.push((await client.workflow.getHandle(workflowId, runId).fetchHistory()).events ?? []);
      return { events: histories.reduce((sum, h) => sum + h.length, 0), executions: runIds.length, activitySeconds: activitySeconds(histories) };
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
