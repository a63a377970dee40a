import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addDays, compareDates, isIsoDate, parseDate, rangesOverlap, schoolYearBounds } from '../../domain/dates';

test('MM/DD/YYYY needs two-digit month and day', () => {
  assert.equal(parseDate('09/01/2025', 'MM/DD/YYYY'), '2025-09-01');
  assert.equal(parseDate('12/31/2026', 'MM/DD/YYYY'), '2026-12-31');
  assert.equal(parseDate('9/1/2025', 'MM/DD/YYYY'), null);
  assert.equal(parseDate('2025-09-01', 'MM/DD/YYYY'), null);
});

test('M/D/YYYY takes one or two digits', () => {
  assert.equal(parseDate('9/1/2025', 'M/D/YYYY'), '2025-09-01');
  assert.equal(parseDate('09/01/2025', 'M/D/YYYY'), '2025-09-01');
  assert.equal(parseDate('10/15/2025', 'M/D/YYYY'), '2025-10-15');
  assert.equal(parseDate('9/1/25', 'M/D/YYYY'), null);
  assert.equal(parseDate('123/1/2025', 'M/D/YYYY'), null);
});

test('a date holds ASCII digits and the separators of its format only: no signs, points, spaces, other digits or extra parts', () => {
  for (const text of ['+9/01/2025', '1./01/2025', '01/1./2025', '01/01/20/5', '09/01/20255', '09/-1/2025', '09/01/+2025', '9./1/2025', '09/ 1/2025', '09/01/2025 ', '1/2/3/2025', '09//2025', '/01/2025', '09/01/', '٠٩/٠١/٢٠٢٥']) {
    assert.equal(parseDate(text, 'M/D/YYYY'), null, text);
    assert.equal(parseDate(text, 'MM/DD/YYYY'), null, text);
  }
  for (const text of ['2025-09-1a', '2025-1.-01', '20255-09-01', '2025+09-01', '2025-09+01', '-2025-09-0', '2025-09-01\n', '２025-09-01']) {
    assert.equal(parseDate(text, 'YYYY-MM-DD'), null, text);
  }
});

test('YYYY-MM-DD is ISO', () => {
  assert.equal(parseDate('2025-09-01', 'YYYY-MM-DD'), '2025-09-01');
  assert.equal(parseDate('2025-9-1', 'YYYY-MM-DD'), null);
  assert.equal(parseDate('2025-09-01T00:00:00Z', 'YYYY-MM-DD'), null);
  assert.equal(isIsoDate('2024-02-29'), true);
  assert.equal(isIsoDate('2025-02-29'), false);
});

test('impossible dates and wrong shapes are refused', () => {
  assert.equal(parseDate('02/30/2026', 'MM/DD/YYYY'), null);
  assert.equal(parseDate('02/29/2025', 'MM/DD/YYYY'), null);
  assert.equal(parseDate('02/29/2024', 'MM/DD/YYYY'), '2024-02-29');
  assert.equal(parseDate('02/29/2000', 'MM/DD/YYYY'), '2000-02-29');
  assert.equal(parseDate('02/29/1900', 'MM/DD/YYYY'), null);
  assert.equal(parseDate('04/31/2026', 'M/D/YYYY'), null);
  assert.equal(parseDate('13/01/2026', 'MM/DD/YYYY'), null);
  assert.equal(parseDate('00/10/2026', 'MM/DD/YYYY'), null);
  assert.equal(parseDate('2026-00-10', 'YYYY-MM-DD'), null);
  assert.equal(parseDate(' 09/01/2025', 'MM/DD/YYYY'), null);
  assert.equal(parseDate('', 'MM/DD/YYYY'), null);
  assert.equal(parseDate('０９/01/2025', 'MM/DD/YYYY'), null);
});

test('addDays crosses months, years and leap days', () => {
  assert.equal(addDays('2025-09-01', -1), '2025-08-31');
  assert.equal(addDays('2026-01-01', -1), '2025-12-31');
  assert.equal(addDays('2024-02-28', 1), '2024-02-29');
  assert.equal(addDays('2025-02-28', 1), '2025-03-01');
  assert.equal(addDays('2025-03-09', 1), '2025-03-10');
  assert.equal(addDays('2025-07-01', 365), '2026-07-01');
  assert.throws(() => addDays('2025-02-30', 1), RangeError);
});

test('school year 2026 runs from 2025-07-01 to 2026-06-30', () => {
  assert.deepEqual(schoolYearBounds(2026), { start: '2025-07-01', end: '2026-06-30' });
});

test('compareDates and rangesOverlap treat ranges as inclusive, a null end as open', () => {
  assert.ok(compareDates('2025-09-01', '2025-10-01') < 0);
  assert.equal(compareDates('2025-09-01', '2025-09-01'), 0);
  assert.equal(rangesOverlap('2025-09-01', '2025-09-30', '2025-09-30', null), true);
  assert.equal(rangesOverlap('2025-09-01', '2025-09-29', '2025-09-30', null), false);
  assert.equal(rangesOverlap('2025-10-01', null, '2025-09-01', null), true);
  assert.equal(rangesOverlap('2025-10-01', null, '2025-09-01', '2025-09-30'), false);
});
