import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { INVALID_BYTE, Utf8Decoder } from '../../domain/utf8-decoder';

function decode(chunks: Buffer[]): string {
  const decoder = new Utf8Decoder();
  return chunks.map((c) => decoder.write(c)).join('') + decoder.end();
}

/** The bytes cut at the given offsets (sorted, within the buffer). */
function cut(bytes: Buffer, offsets: number[]): Buffer[] {
  const points = [...new Set(offsets.map((o) => o % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let start = 0;
  for (const p of points) {
    chunks.push(bytes.subarray(start, p));
    start = p;
  }
  chunks.push(bytes.subarray(start));
  return chunks;
}

test('valid UTF-8 decodes exactly as Node does, however it is cut', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme' }), fc.array(fc.nat(), { maxLength: 6 }), (text, offsets) => {
      const bytes = Buffer.from(text, 'utf8');
      assert.equal(decode(cut(bytes, offsets)), text);
    }),
  );
});

test('any bytes decode the same however they are cut', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), fc.array(fc.nat(), { maxLength: 6 }), (array, offsets) => {
      const bytes = Buffer.from(array);
      assert.equal(decode(cut(bytes, offsets)), decode([bytes]));
    }),
  );
});

test('each invalid byte becomes INVALID_BYTE, and a real U+FFFD stays U+FFFD', () => {
  const cases: [string, number[], string][] = [
    ['a lone continuation byte', [0x61, 0x80, 0x62], `a${INVALID_BYTE}b`],
    ['a Latin-1 é', [0x4a, 0x6f, 0x73, 0xe9], `Jos${INVALID_BYTE}`],
    ['an overlong slash', [0xc0, 0xaf], INVALID_BYTE.repeat(2)],
    ['an encoded surrogate', [0xed, 0xa0, 0x80], INVALID_BYTE.repeat(3)],
    ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80], INVALID_BYTE.repeat(4)],
    ['a lead byte followed by ASCII', [0xe2, 0x41], `${INVALID_BYTE}A`],
    ['a character cut off by the end', [0x41, 0xf0, 0x9f, 0x98], `A${INVALID_BYTE.repeat(3)}`],
    ['U+FFFD written in the file', [0xef, 0xbf, 0xbd], '\ufffd'],
  ];
  for (const [name, bytes, expected] of cases) assert.equal(decode([Buffer.from(bytes)]), expected, name);
});

test('a character split over chunks waits for its last byte', () => {
  const decoder = new Utf8Decoder();
  const smile = Buffer.from('😀', 'utf8');
  assert.equal(decoder.write(smile.subarray(0, 3)), '');
  assert.equal(decoder.write(smile.subarray(3)), '😀');
  assert.equal(decoder.end(), '');
});
