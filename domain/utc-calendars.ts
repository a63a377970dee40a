import { MONTHS, WEEKDAYS, type Calendar, type Range } from './calendar';
import { daysInMonth } from './dates';

/** Which days of a month a calendar matches: all, those on one weekday, or some days of the month. */
type DayPattern = { dayOfWeek?: Calendar['dayOfWeek']; dayOfMonth?: Range[] };

/**
 * Temporal calendars, read in UTC, that match exactly `instants` (whole minutes since the epoch) and
 * nothing else: one calendar per UTC time of day and per set of months and years that share the
 * same days. A day run every day, or on one weekday, of a month needs no list of days.
 */
export function utcCalendarsOf(instants: number[], comment: string): Calendar[] {
  // minute of the UTC day → year → month → days of the month
  const byTime = new Map<number, Map<number, Map<number, number[]>>>();
  for (const instant of [...new Set(instants)].sort((a, b) => a - b)) {
    const at = new Date(instant);
    const minuteOfDay = at.getUTCHours() * 60 + at.getUTCMinutes();
    const years = byTime.get(minuteOfDay) ?? byTime.set(minuteOfDay, new Map()).get(minuteOfDay)!;
    const months = years.get(at.getUTCFullYear()) ?? years.set(at.getUTCFullYear(), new Map()).get(at.getUTCFullYear())!;
    const days = months.get(at.getUTCMonth() + 1) ?? months.set(at.getUTCMonth() + 1, []).get(at.getUTCMonth() + 1)!;
    days.push(at.getUTCDate());
  }
  const calendars: Calendar[] = [];
  for (const [minuteOfDay, years] of byTime) {
    // months of a year with the same days, then years with the same such months
    const rows = new Map<string, { years: number[]; months: number[]; pattern: DayPattern }>();
    for (const [year, months] of years) {
      const monthsByPattern = new Map<string, { months: number[]; pattern: DayPattern }>();
      for (const [month, days] of months) {
        const pattern = dayPatternOf(year, month, days);
        const key = JSON.stringify(pattern);
        const group = monthsByPattern.get(key) ?? monthsByPattern.set(key, { months: [], pattern }).get(key)!;
        group.months.push(month);
      }
      for (const { months, pattern } of monthsByPattern.values()) {
        const key = JSON.stringify([months, pattern]);
        const row = rows.get(key) ?? rows.set(key, { years: [], months, pattern }).get(key)!;
        row.years.push(year);
      }
    }
    for (const { years: rowYears, months, pattern } of rows.values()) {
      calendars.push({
        hour: Math.floor(minuteOfDay / 60),
        minute: minuteOfDay % 60,
        ...pattern,
        month: months.map((month) => MONTHS[month - 1]!),
        year: rangesOf(rowYears),
        comment,
      });
    }
  }
  return calendars;
}

function dayPatternOf(year: number, month: number, days: number[]): DayPattern {
  const length = daysInMonth(year, month);
  if (days.length === length) return {};
  const weekdayOf = (day: number) => new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  const weekday = weekdayOf(days[0]!);
  let sameWeekday = 0;
  for (let day = 1; day <= length; day++) if (weekdayOf(day) === weekday) sameWeekday++;
  if (days.length === sameWeekday && days.every((day) => weekdayOf(day) === weekday)) return { dayOfWeek: WEEKDAYS[weekday]! };
  return { dayOfMonth: rangesOf(days) };
}

/** Sorted distinct numbers as ranges: one stepped range when evenly spaced, else runs of consecutive numbers. */
function rangesOf(values: number[]): Range[] {
  const step = values.length > 1 ? values[1]! - values[0]! : 1;
  if (values.every((value, i) => value === values[0]! + i * step)) return [{ start: values[0]!, end: values[values.length - 1]!, step }];
  const ranges: Range[] = [];
  for (const value of values) {
    const last = ranges[ranges.length - 1];
    if (last && last.end === value - 1) last.end = value;
    else ranges.push({ start: value, end: value, step: 1 });
  }
  return ranges;
}
