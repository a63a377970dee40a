import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { daysInMonth } from '../../domain/dates';
import { scheduledRuns } from '../../domain/schedule-runs';
import { DST_HORIZON_DAYS, scheduleSpecOf, type Calendar, type ImportSchedule } from '../../domain/schedule-spec';
import { DAY_MS, localDayAt } from '../../domain/zone-clock';

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

const WEEKDAYS = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'];

type Values = number | { start: number; end: number; step: number }[] | undefined;
const has = (values: Values, value: number) =>
  values === undefined || (typeof values === 'number' ? values === value : values.some((r) => value >= r.start && value <= r.end && (value - r.start) % r.step === 0));

/** The instants (ISO) from `from` to `to` at which UTC calendars fire, read the way Temporal reads a calendar. */
function utcFirings(calendars: Calendar[], from: string, to: string): string[] {
  const found = new Set<string>();
  for (let day = Date.parse(from); day <= Date.parse(to); day += DAY_MS) {
    const d = new Date(day);
    for (const c of calendars) {
      if (!has(c.year, d.getUTCFullYear()) || (c.month && !c.month.includes(MONTHS[d.getUTCMonth()] as never)) || !has(c.dayOfMonth, d.getUTCDate())) continue;
      if (c.dayOfWeek && c.dayOfWeek !== WEEKDAYS[d.getUTCDay()]) continue;
      found.add(new Date(day + (c.hour * 60 + c.minute) * 60_000).toISOString());
    }
  }
  return [...found].sort();
}

const local = (instant: string, zone: string) => new Date(instant).toLocaleString('sv-SE', { timeZone: zone }).slice(0, 16);

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

  it('a schedule whose time no run day skips or repeats keeps wall-clock calendars in its zone', () => {
    const from = { from: new Date('2027-01-05T12:00:00Z') };
    assert.equal(scheduleSpecOf({ frequency: 'daily', time: '22:00' }, 'America/Chicago', from).timezone, 'America/Chicago');
    // US clocks change on Sundays, so a Monday 02:30 always occurs once
    assert.equal(scheduleSpecOf({ frequency: 'weekly', time: '02:30', weekday: 'monday' }, 'America/Chicago', from).timezone, 'America/Chicago');
    assert.equal(scheduleSpecOf({ frequency: 'daily', time: '02:30' }, 'Asia/Kolkata', from).timezone, 'Asia/Kolkata');
  });

  it('daily at a time the spring-forward night skips: UTC calendars that run at 03:00 local that day, once', () => {
    const spec = scheduleSpecOf({ frequency: 'daily', time: '02:30' }, 'America/Chicago', { from: new Date('2027-03-12T00:00:00Z') });
    assert.equal(spec.timezone, 'UTC');
    const firings = utcFirings(spec.calendars, '2027-03-12', '2027-03-16').map((at) => local(at, 'America/Chicago'));
    assert.deepEqual(firings, ['2027-03-12 02:30', '2027-03-13 02:30', '2027-03-14 03:00', '2027-03-15 02:30', '2027-03-16 02:30']);
  });

  it('daily at a time the fall-back night repeats: UTC calendars that run at its first occurrence only', () => {
    const spec = scheduleSpecOf({ frequency: 'daily', time: '01:30' }, 'America/Chicago', { from: new Date('2027-11-05T00:00:00Z') });
    assert.deepEqual(utcFirings(spec.calendars, '2027-11-05', '2027-11-08'), [
      '2027-11-05T06:30:00.000Z',
      '2027-11-06T06:30:00.000Z',
      '2027-11-07T06:30:00.000Z', // 01:30 CDT; not 07:30Z (01:30 CST)
      '2027-11-08T07:30:00.000Z',
    ]);
  });

  it('the spec starts at `from` only when a test gives one', () => {
    assert.equal(scheduleSpecOf({ frequency: 'daily', time: '01:30' }, 'America/Chicago').startAt, undefined);
    const from = new Date('2027-11-05T00:00:00Z');
    assert.equal(scheduleSpecOf({ frequency: 'daily', time: '01:30' }, 'America/Chicago', { from }).startAt, from);
  });

  it('UTC calendars fire exactly at the runs, once on each day the schedule is due, for any zone, schedule and start', () => {
    const zones = ['America/Chicago', 'America/New_York', 'Europe/London', 'Europe/Berlin', 'Australia/Sydney', 'Australia/Lord_Howe', 'America/Santiago', 'Pacific/Auckland'];
    const schedule: fc.Arbitrary<ImportSchedule> = fc.record({
      frequency: fc.constantFrom('daily', 'weekly', 'monthly'),
      time: fc.tuple(fc.integer({ min: 0, max: 3 }), fc.constantFrom(0, 15, 30, 45)).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`),
      weekday: fc.constantFrom('sunday', 'saturday', 'friday'),
      dayOfMonth: fc.constantFrom<number | 'EOM'>('EOM', 31, 30, 29, 28, 1, 8, 14),
    });
    let written = 0;
    fc.assert(
      fc.property(schedule, fc.constantFrom(...zones), fc.integer({ min: Date.parse('2026-01-01'), max: Date.parse('2030-12-31') }), (s, zone, fromMs) => {
        const spec = scheduleSpecOf(s, zone, { from: new Date(fromMs) });
        const firstDay = localDayAt(zone, fromMs);
        const runs = scheduledRuns(s, zone, firstDay, firstDay + DST_HORIZON_DAYS * DAY_MS);
        if (runs.every((run) => run.kind === 'exact')) {
          assert.equal(spec.timezone, zone);
          return;
        }
        written++;
        assert.equal(spec.timezone, 'UTC');
        const window = [new Date(firstDay - DAY_MS).toISOString(), new Date(firstDay + (DST_HORIZON_DAYS + 1) * DAY_MS).toISOString()] as const;
        assert.deepEqual(utcFirings(spec.calendars, ...window), runs.map((run) => new Date(run.instant).toISOString()));
      }),
      { numRuns: 120, seed: 8205 },
    );
    assert.ok(written >= 20, `only ${written} of 120 cases needed UTC calendars`);
  });
});
