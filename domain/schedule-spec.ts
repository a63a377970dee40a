import { isLeapYear } from './dates';

/** An import's schedule as the API takes it. */
export interface ImportSchedule {
  frequency: 'daily' | 'weekly' | 'monthly';
  /** HH:MM, 24-hour, wall-clock time in the time zone. */
  time: string;
  weekday?: string;
  dayOfMonth?: number | 'EOM';
  timeZone?: string;
}

type Month = 'JANUARY' | 'FEBRUARY' | 'MARCH' | 'APRIL' | 'MAY' | 'JUNE' | 'JULY' | 'AUGUST' | 'SEPTEMBER' | 'OCTOBER' | 'NOVEMBER' | 'DECEMBER';
type Weekday = 'SUNDAY' | 'MONDAY' | 'TUESDAY' | 'WEDNESDAY' | 'THURSDAY' | 'FRIDAY' | 'SATURDAY';
interface YearRange {
  start: number;
  end: number;
  step: number;
}

/** The shape of a Temporal Schedule calendar (structurally the SDK's CalendarSpec). */
export interface Calendar {
  hour: number;
  minute: number;
  dayOfWeek?: Weekday;
  dayOfMonth?: number;
  month?: Month[];
  year?: YearRange[];
  comment?: string;
}

export interface ScheduleSpecification {
  calendars: Calendar[];
  timezone: string;
}

const LONG_MONTHS: Month[] = ['JANUARY', 'MARCH', 'MAY', 'JULY', 'AUGUST', 'OCTOBER', 'DECEMBER'];
const THIRTY_DAY_MONTHS: Month[] = ['APRIL', 'JUNE', 'SEPTEMBER', 'NOVEMBER'];
/** Years the February end-of-month calendars cover: Temporal accepts years 2000-2100 only. */
const FIRST_YEAR = 2024;
const LAST_YEAR = 2100;

/** The years in [FIRST_YEAR, LAST_YEAR] that satisfy `keep`, as few stepped ranges as a year's residue mod 4 allows. */
function yearRanges(keep: (year: number) => boolean): YearRange[] {
  const ranges: YearRange[] = [];
  for (let residue = 0; residue < 4; residue++) {
    let open: YearRange | null = null;
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

/**
 * Temporal calendars for an import's schedule. Temporal has no "last day of month", so EOM is a
 * union: the 31st of long months, the 30th of the others, and February's 29th in leap years and
 * 28th otherwise. A day of month a month lacks (31 in April) does not fire that month.
 */
export function scheduleSpecOf(schedule: ImportSchedule, districtTimeZone: string): ScheduleSpecification {
  const [hour, minute] = schedule.time.split(':').map(Number) as [number, number];
  const at = { hour, minute };
  const timezone = schedule.timeZone ?? districtTimeZone;
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
