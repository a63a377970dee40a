import { Context } from '@temporalio/activity';
import { HEARTBEAT_EVERY_MS } from '../domain/heartbeats';

/** Stop beating once `counter` has not moved for `afterMs`, so work that stalled times out rather than hang. */
export interface StallWatch {
  counter: () => number;
  afterMs: number;
}

/**
 * Heartbeats with details() every HEARTBEAT_EVERY_MS while fn runs, whether or not fn makes progress (a chunk waiting
 * on another run's row locks is alive), so Temporal tells a slow activity from a lost worker within seconds.
 * With `stall`, the beats stop once its counter has stood still for its time.
 */
export async function whileHeartbeating<T>(details: () => unknown, fn: () => Promise<T>, stall?: StallWatch): Promise<T> {
  const context = Context.current();
  let last = stall?.counter();
  let movedAt = Date.now();
  const beat = () => {
    if (stall) {
      const now = stall.counter();
      if (now !== last) {
        last = now;
        movedAt = Date.now();
      } else if (Date.now() - movedAt > stall.afterMs) return;
    }
    context.heartbeat(details());
  };
  beat();
  const timer = setInterval(beat, HEARTBEAT_EVERY_MS);
  try {
    return await fn();
  } finally {
    clearInterval(timer);
  }
}
