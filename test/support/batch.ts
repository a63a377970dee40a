import type { ConnectionConfig } from '../../domain/connection';
import type { TestSystem } from './system';

/** An active eligibility import, made through the API; returns its id. */
export async function createEligibilityImport(system: TestSystem, key: string, p: { name: string; mappingId: string; connection: ConnectionConfig }): Promise<string> {
  const imp = await system.call('POST', '/api/imports', { key, body: { name: p.name, kind: 'eligibility', mappingId: p.mappingId, connection: p.connection } });
  if (imp.status !== 201) throw new Error(`creating import ${p.name}: ${imp.text}`);
  return imp.body.id;
}

/** Polls until `check` answers true; fails naming `what` after `timeoutMs`. */
export async function waitUntil(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The workflow has run its first workflow task: its first activity is scheduled (in the task queue, or running). */
export async function hasPendingActivity(system: TestSystem, workflowId: string): Promise<boolean> {
  const described = await system.client.workflow.getHandle(workflowId).describe();
  return (described.raw.pendingActivities ?? []).length > 0;
}
