import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { localDayAt, offsetAt, runInstantOf } from '../../domain/zone-clock';

const wall = (text: string) => Date.parse(`${text}Z`);
const run = (zone: string, text: string) => {
  const { instant, kind } = runInstantOf(zone, wall(text));
  return { at: new Date(instant).toISOString(), kind };
};

describe('wall-clock times in an IANA zone', () => {
  it('a time that occurs once runs then', () => {
    assert.deepEqual(run('America/Chicago', '2027-03-14T03:00:00'), { at: '2027-03-14T08:00:00.000Z', kind: 'exact' });
    assert.deepEqual(run('America/Chicago', '2027-11-07T02:00:00'), { at: '2027-11-07T08:00:00.000Z', kind: 'exact' });
    assert.deepEqual(run('Asia/Kolkata', '2027-03-14T02:30:00'), { at: '2027-03-13T21:00:00.000Z', kind: 'exact' });
    assert.deepEqual(run('UTC', '2028-02-29T23:30:00'), { at: '2028-02-29T23:30:00.000Z', kind: 'exact' });
  });

  it('a time the clocks skip runs at the first minute after the gap', () => {
    // 02:00 CST → 03:00 CDT
    assert.deepEqual(run('America/Chicago', '2027-03-14T02:30:00'), { at: '2027-03-14T08:00:00.000Z', kind: 'skipped' });
    assert.deepEqual(run('America/Chicago', '2027-03-14T02:00:00'), { at: '2027-03-14T08:00:00.000Z', kind: 'skipped' });
    assert.deepEqual(run('America/Chicago', '2027-03-14T02:59:00'), { at: '2027-03-14T08:00:00.000Z', kind: 'skipped' });
    // 01:00 GMT → 02:00 BST
    assert.deepEqual(run('Europe/London', '2030-03-31T01:30:00'), { at: '2030-03-31T01:00:00.000Z', kind: 'skipped' });
    // half an hour: 02:00 → 02:30 local
    assert.deepEqual(run('Australia/Lord_Howe', '2027-10-03T02:15:00'), { at: '2027-10-02T15:30:00.000Z', kind: 'skipped' });
    // at midnight: 00:00 → 01:00 local
    assert.deepEqual(run('America/Santiago', '2027-09-05T00:30:00'), { at: '2027-09-05T04:00:00.000Z', kind: 'skipped' });
  });

  it('a time the clocks go back over runs at its first occurrence', () => {
    // 02:00 CDT → 01:00 CST: 01:30 is 06:30Z (CDT) and 07:30Z (CST)
    assert.deepEqual(run('America/Chicago', '2027-11-07T01:30:00'), { at: '2027-11-07T06:30:00.000Z', kind: 'repeated' });
    assert.deepEqual(run('America/Chicago', '2027-11-07T01:00:00'), { at: '2027-11-07T06:00:00.000Z', kind: 'repeated' });
    assert.deepEqual(run('Europe/London', '2027-10-31T01:30:00'), { at: '2027-10-31T00:30:00.000Z', kind: 'repeated' });
    assert.deepEqual(run('Australia/Lord_Howe', '2027-04-04T01:45:00'), { at: '2027-04-03T14:45:00.000Z', kind: 'repeated' });
  });

  it('offsets and local dates', () => {
    assert.equal(offsetAt('America/Chicago', Date.parse('2027-01-01T00:00:00Z')), -6 * 3_600_000);
    assert.equal(offsetAt('America/Chicago', Date.parse('2027-07-01T00:00:00Z')), -5 * 3_600_000);
    assert.equal(localDayAt('America/Chicago', Date.parse('2027-03-14T04:59:00Z')), wall('2027-03-13T00:00:00'));
    assert.equal(localDayAt('Asia/Tokyo', Date.parse('2027-03-14T15:00:00Z')), wall('2027-03-15T00:00:00'));
  });
});
