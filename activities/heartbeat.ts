import { Context } from '@temporalio/activity';
import { HEARTBEAT_EVERY_MS } from '../domain/heartbeats';

/** What an activity's beats carry and watch; the activity changes it as its work moves from phase to phase. */
export interface Heartbeat {
  /** What each beat carries: counts, never content. */
  details: () => unknown;
  /**
   * While set, the beats stop once `progress` has stood still for `stallAfterMs`, so work that stalled times out, and
   * `stalled` is called once then, for the activity to end the stalled work itself.
   */
  watch?: { progress: () => number; stallAfterMs: number; stalled?: () => void };
}

/**
 * Heartbeats every HEARTBEAT_EVERY_MS, from the first moment of fn to its end, whether or not fn makes progress (a chunk
 * waiting on another run's row locks is alive), so Temporal tells a slow activity from a lost worker within seconds.
 * fn gets the Heartbeat to say what the beats carry and, for a phase that can stall (a download), what they watch.
 */
export async function whileHeartbeating<T>(fn: (beat: Heartbeat) => Promise<T>): Promise<T> {
  const context = Context.current();
  const beat: Heartbeat = { details: () => undefined };
  let watched: Heartbeat['watch'];
  let last = 0;
  let movedAt = 0;
  let stallSeen: Heartbeat['watch'];
  const send = () => {
    const watch = beat.watch;
    if (watch) {
      const now = watch.progress();
      if (watch !== watched || now !== last) {
        watched = watch;
        last = now;
        movedAt = Date.now();
      } else if (Date.now() - movedAt > watch.stallAfterMs) {
        if (stallSeen !== watch) watch.stalled?.();
        stallSeen = watch;
        return;
      }
    }
    context.heartbeat(beat.details());
  };
  const timer = setInterval(send, HEARTBEAT_EVERY_MS);
  try {
    return await fn(beat);
  } finally {
    clearInterval(timer);
  }
}
