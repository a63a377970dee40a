import { test } from 'node:test';
import assert from 'node:assert/strict';
import { msNumberToTs } from '@temporalio/common/lib/time';
import { activitySeconds } from '../../bench/activity-seconds';

const scheduled = (eventId: number, ms: number, name: string) => ({ eventId, eventTime: msNumberToTs(ms), activityTaskScheduledEventAttributes: { activityType: { name } } });
const completed = (eventId: number, ms: number, scheduledEventId: number) => ({ eventId, eventTime: msNumberToTs(ms), activityTaskCompletedEventAttributes: { scheduledEventId } });

test('bench: seconds per activity type, scheduling to completion, summed over calls and executions; calls that never completed left out', () => {
  const first = [scheduled(5, 1_000, 'stageFile'), completed(7, 3_500, 5), scheduled(9, 3_600, 'applyChunks'), completed(11, 28_600, 9), scheduled(13, 28_700, 'applyChunks')];
  // a run continued as new: its next execution numbers events from 1 again
  const second = [scheduled(5, 30_000, 'applyChunks'), completed(7, 34_250, 5)];
  assert.deepEqual(activitySeconds([first, second]), { stageFile: 2.5, applyChunks: 29.25 });
});
