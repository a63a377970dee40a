import type { Client } from '@temporalio/client';

/**
 * Events in the history of every execution of `workflowId` (a run continued as new has several), once the
 * last one has closed; visibility lags a little, so it waits for the list to show a closed final execution.
 */
export async function countHistoryEvents(client: Client, workflowId: string, timeoutMs = 60_000): Promise<{ events: number; executions: number }> {
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
      let events = 0;
      for (const runId of runIds) events += (await client.workflow.getHandle(workflowId, runId).fetchHistory()).events?.length ?? 0;
      return { events, executions: runIds.length };
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
