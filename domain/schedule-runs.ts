import type { ImportSchedule } from './schedule-spec';
import { DAY_MS, MINUTE_MS, runInstantOf, type WallTimeKind } from './zone-clock';

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/** Whether the schedule runs on a local date (wall ms at midnight). */
export function runsOn(schedule: ImportSchedule, day: number): boolean {
  const date = new Date(day);
  switch (schedule.frequency) {
    case 'daily':
      return true;
    case 'weekly':
      return WEEKDAYS[date.getUTCDay()] === schedule.weekday?.toLowerCase();
    case 'monthly':
      // the last day of the month is the one whose next day is the 1st
      if (schedule.dayOfMonth === 'EOM') return new Date(day + DAY_MS).getUTCDate() === 1;
      return date.getUTCDate() === schedule.dayOfMonth;
  }
}

export interface ScheduledRun {
  /** The local date it is due on (wall ms at midnight). */
  day: number;
  /** When it starts (ms since the epoch), by the daylight-saving rule of runInstantOf. */
  instant: number;
  kind: WallTimeKind;
}

/** The runs of `schedule` in `zone` on the local dates from `firstDay` to `lastDay` (wall ms at midnight), inclusive. */
export function scheduledRuns(schedule: ImportSchedule, zone: string, firstDay: number, lastDay: number): ScheduledRun[] {
  const [hour, minute] = schedule.time.split(':').map(Number) as [number, number];
  const timeOfDay = (hour * 60 + minute) * MINUTE_MS;
  const runs: ScheduledRun[] = [];
  for (let day = firstDay; day <= lastDay; day += DAY_MS) {
    if (runsOn(schedule, day)) runs.push({ day, ...runInstantOf(zone, day + timeOfDay) });
  }
  return runs;
}
