import type { google } from '@temporalio/proto';
import { tsToMs } from '@temporalio/common/lib/time';

type EventId = { toString(): string } | number | null;

/** What is read of a history event (temporal.api.history.v1.IHistoryEvent has these and more). */
export interface ActivityEvent {
  eventId?: EventId;
  eventTime?: google.protobuf.ITimestamp | null;
  activityTaskScheduledEventAttributes?: { activityType?: { name?: string | null } | null } | null;
  activityTaskCompletedEventAttributes?: { scheduledEventId?: EventId } | null;
}

/**
 * Seconds each activity type took in a run's histories, from its scheduling to its completion (retries and
 * queueing included), summed over its calls: where a run's time went, e.g. `stageFile` against `applyChunks`.
 * Calls that never completed (failed or timed out for good) are left out.
 */
export function activitySeconds(histories: readonly (readonly ActivityEvent[])[]): Record<string, number> {
  const seconds: Record<string, number> = {};
  for (const events of histories) {
    const scheduled = new Map<string, { type: string; at: number }>();
    for (const event of events) {
      const attributes = event.activityTaskScheduledEventAttributes;
      if (attributes) {
        scheduled.set(String(event.eventId), { type: attributes.activityType?.name ?? 'unknown', at: tsToMs(event.eventTime) });
        continue;
      }
      const completed = event.activityTaskCompletedEventAttributes;
      const call = completed && scheduled.get(String(completed.scheduledEventId));
      if (call) seconds[call.type] = (seconds[call.type] ?? 0) + (tsToMs(event.eventTime) - call.at) / 1000;
    }
  }
  return seconds;
}
