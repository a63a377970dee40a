import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeReportCursor, encodeReportCursor, type ReportPosition } from '../../api/report-cursor';

test('a cursor names the position it was made from', () => {
  const positions: ReportPosition[] = [
    { part: 'records', after: { ordinal: 0, line: 2, ord: 1 } },
    { part: 'problems', after: null },
    { part: 'problems', after: { ordinal: -1, line: 0, id: '123456789012345678' } },
  ];
  for (const position of positions) assert.deepEqual(decodeReportCursor(encodeReportCursor(position)), position);
});

test('a cursor is opaque text safe in a URL', () => {
  assert.match(encodeReportCursor({ part: 'records', after: { ordinal: 3, line: 70000, ord: 2 } }), /^[A-Za-z0-9_-]+$/);
});

test('anything that is not a cursor this API made is refused', () => {
  const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
  const refused = [
    '',
    'not a cursor!',
    b64('{"unclosed'),
    b64({ part: 'records' }),
    b64(['r', 0, 2]),
    b64(['r', 0, 2, 1, 'extra']),
    b64(['r', -5, 2, 1]),
    b64(['r', 0, 1.5, 1]),
    b64(['r', 0, 2 ** 40, 1]),
    b64(['p', 0, 2, '0']),
    b64(['p', 0, 2, "1 or 1=1"]),
    b64(['p', 0, 2, 12]),
    b64(['x']),
    'A'.repeat(201),
  ];
  for (const text of refused) assert.equal(decodeReportCursor(text), null, text);
});

test('no text makes decoding throw', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string(), fc.json().map((j) => Buffer.from(j).toString('base64url'))), (text) => {
      decodeReportCursor(text);
    }),
  );
});
