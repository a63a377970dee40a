import { isUtf8 } from 'node:buffer';

/**
 * What an invalid UTF-8 byte becomes in decoded text: a lone low surrogate. Valid UTF-8 can
 * never decode to one, so the reader can tell a bad byte from a U+FFFD the file really holds.
 */
export const INVALID_BYTE = '\udfff';

/** Where a sequence starting at `i` cannot be judged because the bytes end first. */
const TRUNCATED = -1;

/**
 * Decodes UTF-8 arriving in chunks, like StringDecoder, except that each invalid byte becomes
 * INVALID_BYTE instead of U+FFFD. A character split between chunks waits for its other bytes.
 */
export class Utf8Decoder {
  private pending: Buffer = Buffer.alloc(0);

  write(chunk: Buffer): string {
    const bytes = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    const end = completeEnd(bytes);
    this.pending = bytes.subarray(end);
    // almost every chunk of a real file is valid: one fast check, one conversion
    if (isUtf8(bytes.subarray(0, end))) return bytes.toString('utf8', 0, end);
    return decodeMarkingInvalid(bytes, end);
  }

  /** The bytes of a character not complete yet, which the next chunk may complete. */
  pendingBytes(): Buffer {
    return Buffer.from(this.pending);
  }

  /** The bytes still waiting can no longer be completed: each is invalid. */
  end(): string {
    const text = INVALID_BYTE.repeat(this.pending.length);
    this.pending = Buffer.alloc(0);
    return text;
  }
}

/** Index where a trailing sequence that may still be completed by the next chunk starts (bytes.length if none). */
function completeEnd(bytes: Buffer): number {
  for (let start = bytes.length - 1; start >= Math.max(0, bytes.length - 3); start--) {
    if (!isContinuation(bytes[start]!)) return sequenceLength(bytes, start, bytes.length) === TRUNCATED ? start : bytes.length;
  }
  return bytes.length;
}

function decodeMarkingInvalid(bytes: Buffer, end: number): string {
  let text = '';
  let runStart = 0;
  let i = 0;
  while (i < end) {
    const length = sequenceLength(bytes, i, end);
    if (length > 0) {
      i += length;
      continue;
    }
    text += bytes.toString('utf8', runStart, i) + INVALID_BYTE;
    runStart = ++i;
  }
  return text + bytes.toString('utf8', runStart, end);
}

function isContinuation(byte: number): boolean {
  return (byte & 0xc0) === 0x80;
}

/**
 * The length of the valid UTF-8 sequence at `i` (1-4), 0 if it is invalid, or TRUNCATED if
 * `end` comes before it could be judged. Refuses overlong forms, surrogates and code points
 * above U+10FFFF, as the Unicode standard's table of well-formed sequences does.
 */
function sequenceLength(bytes: Buffer, i: number, end: number): number {
  const lead = bytes[i]!;
  if (lead < 0x80) return 1;
  let length: number;
  let low = 0x80;
  let high = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) length = 2;
  else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    if (lead === 0xe0) low = 0xa0;
    if (lead === 0xed) high = 0x9f;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    if (lead === 0xf0) low = 0x90;
    if (lead === 0xf4) high = 0x8f;
  } else return 0;
  for (let k = 1; k < length; k++) {
    if (i + k >= end) return TRUNCATED;
    const byte = bytes[i + k]!;
    if (byte < low || byte > high) return 0;
    low = 0x80;
    high = 0xbf;
  }
  return length;
}
