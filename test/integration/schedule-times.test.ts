import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTemporalScheduleManager } from '../../api/import-schedules';
import { findDistrict } from '../../db/queries/districts';
import { findImport } from '../../db/queries/imports';
import { scheduleIdOf } from '../../domain/runs';
import type { ImportSchedule } from '../../domain/schedule-spec';
import { createDistrictWithKey, SHORT_HEADER_MAPPING } from '../support/fixtures';
import { startTestSystem, type TestSystem } from '../support/system';

/** `2027-11-07 01:30 -05:00`: the wall clock and its offset, so the two occurrences of a repeated time differ. */
function local(at: Date, zone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', timeZoneName: 'longOffset' }).formatToParts(at);
  const p = Object.fromEntries(parts.map((part) => [part.type, part.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute} ${p.timeZoneName!.replace('GMT', '') || '+00:00'}`;
}

/**
 * The next times Temporal itself computes for an import's schedule, as the API writes it. Temporal counts
 * from the present, so each case re-writes the schedule as of a future instant (the test-only `specFrom`,
 * which also sets the spec's startAt); the calendars are built exactly as for a save.
 */
describe('when schedules run, as the Temporal server computes it', () => {
  let system: TestSystem;
  let key = '';
  let districtId = '';
  let importId = '';

  before(async () => {
    system = await startTestSystem();
    ({ districtId, key } = await createDistrictWithKey(system, 'Lincoln USD', 'America/Chicago'));
    const mappingId = (await system.call('POST', '/api/mappings', { key, body: SHORT_HEADER_MAPPING })).body.id;
    const connection = { protocol: 'sftp', host: '127.0.0.1', username: 'svc', password: 'pw-123456', directoryPath: 'in' };
    const created = await system.call('POST', '/api/imports', { key, body: { name: 'Nightly', kind: 'eligibility', mappingId, connection } });
    assert.equal(created.status, 201, created.text);
    importId = created.body.id;
  });
  after(async () => {
    await system?.stop();
  });

  async function nextTimes(schedule: ImportSchedule, from: string, count: number): Promise<string[]> {
    const saved = await system.call('PATCH', `/api/imports/${importId}`, { key, body: { schedule } });
    assert.equal(saved.status, 200, saved.text);
    const [district, imp] = [(await findDistrict(system.db, districtId))!, (await findImport(system.db, districtId, importId))!];
    await createTemporalScheduleManager(system.client, system.config.temporal.taskQueue, { specFrom: new Date(from) }).sync(district, imp);
    const described = await system.client.schedule.getHandle(scheduleIdOf({ districtName: district.name, importName: imp.name, importId })).describe();
    return described.info.nextActionTimes.slice(0, count).map((at) => local(at, schedule.timeZone ?? district.timeZone));
  }

  describe('across February, in a non-leap year (2027) and a leap year (2028)', () => {
    it('daily', async () => {
      assert.deepEqual(await nextTimes({ frequency: 'daily', time: '23:30' }, '2027-02-27T12:00:00Z', 3), ['2027-02-27 23:30 -06:00', '2027-02-28 23:30 -06:00', '2027-03-01 23:30 -06:00']);
      assert.deepEqual(await nextTimes({ frequency: 'daily', time: '23:30' }, '2028-02-28T12:00:00Z', 3), ['2028-02-28 23:30 -06:00', '2028-02-29 23:30 -06:00', '2028-03-01 23:30 -06:00']);
    });

    it('weekly', async () => {
      assert.deepEqual(await nextTimes({ frequency: 'weekly', time: '06:15', weekday: 'tuesday' }, '2028-02-20T12:00:00Z', 3), ['2028-02-22 06:15 -06:00', '2028-02-29 06:15 -06:00', '2028-03-07 06:15 -06:00']);
      assert.deepEqual(await nextTimes({ frequency: 'weekly', time: '06:15', weekday: 'sunday' }, '2027-02-20T12:00:00Z', 3), ['2027-02-21 06:15 -06:00', '2027-02-28 06:15 -06:00', '2027-03-07 06:15 -06:00']);
    });

    it('monthly on day 31: not in months without one', async () => {
      const expected = (year: number) => [`${year}-01-31 23:30 -06:00`, `${year}-03-31 23:30 -05:00`, `${year}-05-31 23:30 -05:00`];
      assert.deepEqual(await nextTimes({ frequency: 'monthly', time: '23:30', dayOfMonth: 31 }, '2027-01-15T12:00:00Z', 3), expected(2027));
      assert.deepEqual(await nextTimes({ frequency: 'monthly', time: '23:30', dayOfMonth: 31 }, '2028-01-15T12:00:00Z', 3), expected(2028));
    });

    it('EOM: February 28, or 29 in a leap year', async () => {
      assert.deepEqual(await nextTimes({ frequency: 'monthly', time: '23:30', dayOfMonth: 'EOM' }, '2027-01-15T12:00:00Z', 4), ['2027-01-31 23:30 -06:00', '2027-02-28 23:30 -06:00', '2027-03-31 23:30 -05:00', '2027-04-30 23:30 -05:00']);
      assert.deepEqual(await nextTimes({ frequency: 'monthly', time: '23:30', dayOfMonth: 'EOM' }, '2028-01-15T12:00:00Z', 4), ['2028-01-31 23:30 -06:00', '2028-02-29 23:30 -06:00', '2028-03-31 23:30 -05:00', '2028-04-30 23:30 -05:00']);
    });
  });

  describe('across the daylight-saving changes of America/Chicago (2027-03-14 02:00 → 03:00, 2027-11-07 02:00 → 01:00)', () => {
    it('daily: the spring-forward day runs once, at 03:00', async () => {
      assert.deepEqual(await nextTimes({ frequency: 'daily', time: '02:30' }, '2027-03-12T12:00:00Z', 4), ['2027-03-13 02:30 -06:00', '2027-03-14 03:00 -05:00', '2027-03-15 02:30 -05:00', '2027-03-16 02:30 -05:00']);
    });

    it('daily: the fall-back day runs once, at the first 01:30', async () => {
      assert.deepEqual(await nextTimes({ frequency: 'daily', time: '01:30' }, '2027-11-05T12:00:00Z', 4), ['2027-11-06 01:30 -05:00', '2027-11-07 01:30 -05:00', '2027-11-08 01:30 -06:00', '2027-11-09 01:30 -06:00']);
    });

    it('weekly on Sunday: once on either day', async () => {
      assert.deepEqual(await nextTimes({ frequency: 'weekly', time: '02:30', weekday: 'sunday' }, '2027-03-01T12:00:00Z', 3), ['2027-03-07 02:30 -06:00', '2027-03-14 03:00 -05:00', '2027-03-21 02:30 -05:00']);
      assert.deepEqual(await nextTimes({ frequency: 'weekly', time: '01:30', weekday: 'sunday' }, '2027-11-01T12:00:00Z', 3), ['2027-11-07 01:30 -05:00', '2027-11-14 01:30 -06:00', '2027-11-21 01:30 -06:00']);
    });

    it('monthly on the day the clocks change (the 14th, the 7th): once', async () => {
      assert.deepEqual(await nextTimes({ frequency: 'monthly', time: '02:30', dayOfMonth: 14 }, '2027-02-01T12:00:00Z', 3), ['2027-02-14 02:30 -06:00', '2027-03-14 03:00 -05:00', '2027-04-14 02:30 -05:00']);
      assert.deepEqual(await nextTimes({ frequency: 'monthly', time: '01:30', dayOfMonth: 7 }, '2027-10-01T12:00:00Z', 3), ['2027-10-07 01:30 -05:00', '2027-11-07 01:30 -05:00', '2027-12-07 01:30 -06:00']);
    });

    it('monthly on day 31 and EOM keep their local time on both sides of a change', async () => {
      assert.deepEqual(await nextTimes({ frequency: 'monthly', time: '01:30', dayOfMonth: 31 }, '2027-10-15T12:00:00Z', 2), ['2027-10-31 01:30 -05:00', '2027-12-31 01:30 -06:00']);
      assert.deepEqual(await nextTimes({ frequency: 'monthly', time: '02:30', dayOfMonth: 'EOM' }, '2027-02-15T12:00:00Z', 2), ['2027-02-28 02:30 -06:00', '2027-03-31 02:30 -05:00']);
    });
  });

  it('EOM on the day the clocks change (Europe/London: 2027-10-31 back, 2030-03-31 forward): once', async () => {
    const eom = { frequency: 'monthly', time: '01:30', dayOfMonth: 'EOM', timeZone: 'Europe/London' } as const;
    assert.deepEqual(await nextTimes(eom, '2027-09-15T12:00:00Z', 3), ['2027-09-30 01:30 +01:00', '2027-10-31 01:30 +01:00', '2027-11-30 01:30 +00:00']);
    assert.deepEqual(await nextTimes(eom, '2030-02-15T12:00:00Z', 3), ['2030-02-28 01:30 +00:00', '2030-03-31 02:00 +01:00', '2030-04-30 01:30 +01:00']);
  });
});
