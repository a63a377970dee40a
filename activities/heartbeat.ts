import { Context } from '@temporalio/activity';

/** Heartbeats every few seconds while fn runs, so Temporal tells a slow activity from a lost worker. */
export async function whileHeartbeating<T>(details: unknown, fn: () => Promise<T>, everyMs = 5000): Promise<T> {
  const context = Context.current();
  const timer = setInterval(() => context.heartbeat(details), everyMs);
  try {
    return await fn();
  } finally {
    clearInterval(timer);
  }
}
