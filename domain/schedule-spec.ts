import type { Calendar, Month, Range, Weekday } from './calendar';
import { isLeapYear } from './dates';
import { scheduledRuns } from './schedule-runs';
import { utcCalendarsOf } from './utc-calendars';
import { DAY_MS, localDayAt } from './zone-clock';

export type { Calendar } from './calendar';

/** An import's schedule as the API takes it. */
export interface ImportSchedule {
  frequency: 'daily' | 'weekly' | 'monthly';
  /** HH:MM, 24-hour, wall-clock time in the time zone. */
  time: string;
  weekday?: 'sunday' | 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday';
  dayOfMonth?: number | 'EOM';
  timeZone?: string;
}

export interface ScheduleSpecification {
  calendars: Calendar[];
  timezone: string;
  /** Only when a test asks for the spec as of a future instant: Temporal computes the next times from then. */
  startAt?: Date;
}

/** How far ahead the daylight-saving days are written out; the schedule is rewritten daily, so it never runs out. */
export const DST_HORIZON_DAYS = 3 * 366;

const LONG_MONTHS: Month[] = ['JANUARY', 'MARCH', 'MAY', 'JULY', 'AUGUST', 'OCTOBER', 'DECEMBER'];
const THIRTY_DAY_MONTHS: Month[] = ['APRIL', 'JUNE', 'SEPTEMBER', 'NOVEMBER'];
/** Years the February end-of-month calendars cover: Temporal accepts years 2000-2100 only. */
const FIRST_YEAR = 2024;
const LAST_YEAR = 2100;

/** The years in [FIRST_YEAR, LAST_YEAR] that satisfy `keep`, as few stepped ranges as a year's residue mod 4 allows. */
function yearRanges(keep: (year: number) => boolean): Range[] {
  const ranges: Range[] = [];
  for (let residue = 0; residue < 4; residue++) {
    let open: Range | null = null;
    for (let year = FIRST_YEAR + residue; year <= LAST_YEAR; year += 4) {
      if (keep(year)) {
        if (open) open.end = year;
        else ranges.push((open = { start: year, end: year, step: 4 }));
      } else {
        open = null;
      }
    }
  }
  return ranges.sort((a, b) => a.start - b.start);
}

function describe(schedule: ImportSchedule): string {
  switch (schedule.frequency) {
    case 'daily':
      return `daily at ${schedule.time}`;
    case 'weekly':
      return `weekly on ${schedule.weekday} at ${schedule.time}`;
    case 'monthly':
      return schedule.dayOfMonth === 'EOM' ? `at the end of the month at ${schedule.time}` : `monthly on day ${schedule.dayOfMonth} at ${schedule.time}`;
  }
}

/**
 * Temporal calendars for an import's schedule, read as wall-clock times in its time zone. Temporal
 * has no "last day of month", so EOM is a union: the 31st of long months, the 30th of the others,
 * and February's 29th in leap years and 28th otherwise. A day of month a month lacks (31 in April)
 * does not fire that month.
 */
function wallClockSpecOf(schedule: ImportSchedule, timezone: string): ScheduleSpecification {
  const [hour, minute] = schedule.time.split(':').map(Number) as [number, number];
  const at = { hour, minute };
  switch (schedule.frequency) {
    case 'daily':
      return { calendars: [{ ...at, comment: 'daily' }], timezone };
    case 'weekly':
      return { calendars: [{ ...at, dayOfWeek: schedule.weekday!.toUpperCase() as Weekday, comment: `weekly on ${schedule.weekday}` }], timezone };
    case 'monthly':
      if (schedule.dayOfMonth === 'EOM') {
        return {
          calendars: [
            { ...at, dayOfMonth: 31, month: LONG_MONTHS, comment: 'end of month (31-day months)' },
            { ...at, dayOfMonth: 30, month: THIRTY_DAY_MONTHS, comment: 'end of month (30-day months)' },
            { ...at, dayOfMonth: 29, month: ['FEBRUARY'], year: yearRanges(isLeapYear), comment: 'end of month (February, leap years)' },
            { ...at, dayOfMonth: 28, month: ['FEBRUARY'], year: yearRanges((y) => !isLeapYear(y)), comment: 'end of month (February)' },
          ],
          timezone,
        };
      }
      return { calendars: [{ ...at, dayOfMonth: schedule.dayOfMonth!, comment: `monthly on day ${schedule.dayOfMonth}` }], timezone };
  }
}

/**
 * The Temporal Schedule spec of an import's schedule, which runs exactly once on each day it is due.
 *
 * Temporal matches calendars against the wall clock literally (temporalio/temporal#8205): a time the
 * clocks skip does not fire that day, and a time the clocks go back over fires twice. A spec has one
 * time zone, and a skip calendar matches wall times too, so it would drop both occurrences of a
 * repeated time; only UTC calendars can name the first occurrence alone. So: when, in the next
 * DST_HORIZON_DAYS days, no day the schedule runs on has its time skipped or repeated (the usual case,
 * and always in zones without daylight saving), the spec is the plain wall-clock calendars in the
 * zone. Otherwise it is the runs of those days themselves, each at the instant runInstantOf gives
 * (skipped: the first minute after the gap; repeated: the first occurrence), written as UTC calendars.
 * Such a spec ends with its horizon; the API rewrites every schedule daily (api/schedule-refresh.ts).
 *
 * `from` is the instant the spec is made for (now). A test may give a future one: the spec then
 * also starts there, since Temporal counts its next times from the present.
 */
export function scheduleSpecOf(schedule: ImportSchedule, districtTimeZone: string, options: { from?: Date } = {}): ScheduleSpecification {
  const zone = schedule.timeZone ?? districtTimeZone;
  const from = options.from ?? new Date();
  const firstDay = localDayAt(zone, from.getTime());
  const runs = scheduledRuns(schedule, zone, firstDay, firstDay + DST_HORIZON_DAYS * DAY_MS);
  const lastDay = new Date(firstDay + DST_HORIZON_DAYS * DAY_MS).toISOString().slice(0, 10);
  const spec = runs.every((run) => run.kind === 'exact')
    ? wallClockSpecOf(schedule, zone)
    : { calendars: utcCalendarsOf(runs.map((run) => run.instant), `${describe(schedule)} ${zone} until ${lastDay}, in UTC (daylight saving)`), timezone: 'UTC' };
  return options.from ? { ...spec, startAt: options.from } : spec;
}
