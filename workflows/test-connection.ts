import { proxyActivities } from '@temporalio/workflow';
import type { ConnectionActivities } from '../activities';
import type { TestConnectionResult } from '../domain/runs';

// One attempt: an admin is waiting, and retrying a wrong password can lock the district's account.
const { testConnection } = proxyActivities<ConnectionActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 1 },
});

export async function testConnectionWorkflow(input: { importId: string }): Promise<TestConnectionResult> {
  return testConnection(input);
}
