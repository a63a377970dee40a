import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { daysInMonth } from '../../domain/dates';
import { scheduleSpecOf, type Calendar } from '../../domain/schedule-spec';

const MONTHS = ['JANUARY', 'FEBRUARY', 'MARCH', 'APRIL', 'MAY', 'JUNE', 'JULY', 'AUGUST', 'SEPTEMBER', 'OCTOBER', 'NOVEMBER', 'DECEMBER'];

/** The days of (year, month) on which `calendars` fire, read the way Temporal reads a calendar. */
function firingDays(calendars: Calendar[], year: number, month: number): number[] {
  const days = new Set<number>();
  for (const c of calendars) {
    if (c.month && !c.month.includes(MONTHS[month - 1] as never)) continue;
    if (c.year && !c.year.some((r) => year >= r.start && year <= r.end && (year - r.start) % r.step === 0)) continue;
    for (let day = 1; day <= daysInMonth(year, month); day++) if (c.dayOfMonth === undefined || c.dayOfMonth === day) days.add(day);
  }
  return [...days].sort((a, b) => a - b);
}

describe('schedule specs', () => {
  it('daily at a wall-clock time in the district time zone', () => {
    assert.deepEqual(scheduleSpecOf({ frequency: 'daily', time: '22:05' }, 'America/Chicago'), {
      calendars: [{ hour: 22, minute: 5, comment: 'daily' }],
      timezone: 'America/Chicago',
    });
  });

  it("weekly on a weekday, in the schedule's own time zone when it names one", () => {
    const spec = scheduleSpecOf({ frequency: 'weekly', time: '06:00', weekday: 'monday', timeZone: 'America/Denver' }, 'America/Chicago');
    assert.deepEqual(spec.calendars, [{ hour: 6, minute: 0, dayOfWeek: 'MONDAY', comment: 'weekly on monday' }]);
    assert.equal(spec.timezone, 'America/Denver');
  });

  it('monthly on a day', () => {
    const { calendars } = scheduleSpecOf({ frequency: 'monthly', time: '00:00', dayOfMonth: 15 }, 'UTC');
    assert.deepEqual(firingDays(calendars, 2027, 2), [15]);
  });

  it('EOM fires on the last day of every month, leap Februaries included, 2024-2100 (the years Temporal accepts)', () => {
    const { calendars } = scheduleSpecOf({ frequency: 'monthly', time: '23:30', dayOfMonth: 'EOM' }, 'UTC');
    for (let year = 2024; year <= 2100; year++) {
      for (let month = 1; month <= 12; month++) {
        assert.deepEqual(firingDays(calendars, year, month), [daysInMonth(year, month)], `${year}-${month}`);
      }
    }
  });
});
