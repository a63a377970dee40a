import { StringDecoder } from 'node:string_decoder';
import { Utf8Decoder } from './utf8-decoder';

/**
 * A streaming reader for comma- or tab-separated files (RFC 4180 quoting).
 *
 * It never throws on bad data and never holds more than the record being read: a row it
 * cannot make sense of becomes a problem record, and reading goes on with the physical line
 * after the one where that row started, so one stray quote costs one row.
 *
 * Lenient where the meaning is still clear: a quote inside an unquoted field is kept as
 * text (`5" tall`), spaces around a quoted field are ignored (`a, "b,c" ,d`), and a lone
 * CR ends a line just as LF and CRLF do.
 *
 * Hostile where it must be: a row longer than maxRecordBytes or with more than
 * maxRecordFields fields is reported as soon as it passes the limit, without reading it
 * further; a field holding a control character (REFUSED_CONTROL_CHARACTERS) or, in a UTF-8
 * file, bytes that are not UTF-8 makes its row a problem, so such text never reaches the
 * database (PostgreSQL text cannot hold NUL).
 */

export type Delimiter = ',' | '\t';

export interface DelimitedOptions {
  delimiter: Delimiter;
  /** How bytes become text; UTF-8 by default. A leading BOM is always dropped. */
  encoding?: BufferEncoding;
  /** A record spanning more physical lines than this has a quote that is probably never closed. */
  maxRecordLines?: number;
  /** A record longer than this (in bytes, counted as UTF-8, line break not counted) is reported instead of being read further. */
  maxRecordBytes?: number;
  /** A record with more fields than this is reported instead of being read further. */
  maxRecordFields?: number;
}

export interface DelimitedFields {
  /** 1-based physical line where the record starts. */
  line: number;
  /** Physical line where it ends; later than `line` only when a quoted field holds line breaks. */
  endLine: number;
  /** Field values as written (quotes removed, doubled quotes undone), not trimmed. A blank line is `['']`. */
  fields: string[];
}

export type DelimitedProblemCode = 'MALFORMED_ROW' | 'ROW_TOO_LONG' | 'TOO_MANY_FIELDS' | 'CONTROL_CHARACTER' | 'INVALID_ENCODING';

export interface DelimitedProblem {
  line: number;
  problem: { code: DelimitedProblemCode; message: string };
}

export type DelimitedRecord = DelimitedFields | DelimitedProblem;

export const DEFAULT_MAX_RECORD_LINES = 100;
export const DEFAULT_MAX_RECORD_BYTES = 1_048_576;
export const DEFAULT_MAX_RECORD_FIELDS = 10_000;

/**
 * Characters no field may hold: the C0 controls and DEL, except tab (a delimiter, or text
 * in a comma file) and CR and LF (line breaks, or text inside quotes); and lone surrogates,
 * which are what a UTF-8 byte that did not decode became (INVALID_BYTE). With the `u` flag a
 * surrogate pair is one character, so only a lone surrogate matches.
 */
const REFUSED = /[\0-\x08\x0b\x0c\x0e-\x1f\x7f]|[\ud800-\udfff]/gu;
const REFUSED_IN_FIELD = new RegExp(REFUSED.source, 'u');

export function isProblemRecord(record: DelimitedRecord): record is DelimitedProblem {
  return 'problem' in record;
}

/** An empty line, or one holding nothing but spaces. */
export function isBlankRecord(fields: readonly string[]): boolean {
  return fields.length === 1 && (fields[0] ?? '').trim() === '';
}

export async function* readDelimited(
  input: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
  options: DelimitedOptions,
): AsyncGenerator<DelimitedRecord> {
  for await (const batch of readDelimitedBatches(input, options)) yield* batch;
}

/**
 * The records of each input chunk as one array: the same records as readDelimited, with
 * one await per chunk instead of one per record, which is much faster where async hooks
 * are on (Temporal activities, the test runner).
 */
export function readDelimitedBatches(
  input: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
  options: DelimitedOptions,
): AsyncGenerator<DelimitedRecord[]> {
  return new DelimitedBatchReader(options).batches(input);
}

/**
 * Where reading a file can go on from without the bytes before: the bytes of the record not finished
 * yet (those not decoded yet included), the line it starts on, and nothing else, since a record is
 * read the same whatever came before it.
 */
export interface DelimitedResumePoint {
  line: number;
  tail: Buffer;
}

/** Encodings whose text turns back into exactly the bytes it came from (the UTF-8 reader marks a bad byte, which does not). */
const RESUMABLE_ENCODINGS = new Set<BufferEncoding>(['utf8', 'utf-8', 'latin1']);
const LONE_SURROGATE = /[\ud800-\udfff]/u;

/**
 * readDelimitedBatches, which can also say between two batches where it could resume
 * (resumePoint), and start from such a point: `from.tail` is read first, then the input, which
 * continues the file from where the point was taken.
 */
export class DelimitedBatchReader {
  private readonly encoding: BufferEncoding;
  private readonly decoder: Utf8Decoder | StringDecoder;
  private readonly scanner: DelimitedScanner;
  private started: boolean;

  constructor(
    options: DelimitedOptions,
    private readonly from?: DelimitedResumePoint,
  ) {
    this.encoding = options.encoding ?? 'utf8';
    this.decoder = this.encoding === 'utf8' || this.encoding === 'utf-8' ? new Utf8Decoder() : new StringDecoder(this.encoding);
    this.scanner = new DelimitedScanner(options, from?.line);
    // a file's BOM is dropped once, before a resume point is ever taken
    this.started = from !== undefined;
  }

  async *batches(input: AsyncIterable<Buffer | string> | Iterable<Buffer | string>): AsyncGenerator<DelimitedRecord[]> {
    if (this.from && this.from.tail.length > 0) {
      const batch = this.push(this.from.tail);
      if (batch.length > 0) yield batch;
    }
    for await (const chunk of input) {
      const batch = this.push(chunk);
      if (batch.length > 0) yield batch;
    }
    const rest = this.textOf(this.decoder.end());
    const batch = [...(rest.length > 0 ? this.scanner.push(rest) : []), ...this.scanner.finish()];
    if (batch.length > 0) yield batch;
  }

  /**
   * Where a reader could go on from after what it has read so far, or undefined when it cannot say
   * (a refused record's line is being skipped, the text so far does not turn back into its bytes, or
   * nothing has been read yet).
   */
  resumePoint(): DelimitedResumePoint | undefined {
    if (!this.started || !RESUMABLE_ENCODINGS.has(this.encoding)) return undefined;
    const open = this.scanner.openRecord();
    if (!open || LONE_SURROGATE.test(open.text)) return undefined;
    const undecoded = this.decoder instanceof Utf8Decoder ? this.decoder.pendingBytes() : Buffer.alloc(0);
    return { line: open.line, tail: Buffer.concat([Buffer.from(open.text, this.encoding), undecoded]) };
  }

  private push(chunk: Buffer | string): DelimitedRecord[] {
    const text = this.textOf(typeof chunk === 'string' ? chunk : this.decoder.write(chunk));
    return text.length === 0 ? [] : [...this.scanner.push(text)];
  }

  private textOf(text: string): string {
    if (this.started || text.length === 0) return text;
    this.started = true;
    return text.charCodeAt(0) === BOM ? text.slice(1) : text;
  }
}

const BOM = 0xfeff;
const QUOTE = 34;
const CR = 13;
const LF = 10;
const SPACE = 32;
const ONLY_SPACES = /^ *$/;
/** No refused character is known in the text from here on. */
const NONE = Number.POSITIVE_INFINITY;

function problemAt(line: number, code: DelimitedProblemCode, message: string): DelimitedProblem {
  return { line, problem: { code, message } };
}

/** Names the field, never its text: the character may be anything, and a message must not carry row data. */
function refusedCharacterProblem(record: DelimitedFields, charCode: number): DelimitedProblem {
  const field = String(record.fields.findIndex((f) => REFUSED_IN_FIELD.test(f)) + 1);
  if (charCode >= 0xd800 && charCode <= 0xdfff) return problemAt(record.line, 'INVALID_ENCODING', `Field ${field} holds bytes that are not valid UTF-8.`);
  const code = `U+${charCode.toString(16).toUpperCase().padStart(4, '0')}`;
  return problemAt(record.line, 'CONTROL_CHARACTER', `Field ${field} holds the control character ${code}, which no field may hold.`);
}

type ScanState =
  | 'fieldStart' // before the first character of a field
  | 'unquoted' // inside a field that did not start with a quote
  | 'quoted' // inside a quoted field
  | 'closingQuote' // just after a quote inside a quoted field: the end, or the first of a doubled quote
  | 'afterQuoted'; // after a closed quoted field: spaces, then a delimiter or a line break

/** The state machine behind readDelimited; feed it text with push() and end it with finish(). */
export class DelimitedScanner {
  private readonly delimiter: number;
  private readonly maxLines: number;
  private readonly maxBytes: number;
  private readonly maxFields: number;

  /** Text not yet consumed; it starts at the current record so that a refused one can be read again. */
  private text = '';
  private pos = 0;
  private recordStart = 0;
  /** Line where the current record starts, and line breaks seen inside it so far. */
  private line = 1;
  private breaks = 0;
  private state: ScanState = 'fieldStart';
  private fields: string[] = [];
  private fieldStart = 0;
  /** The open quoted field: where its text starts, where its closing quote is, and whether it holds doubled quotes. */
  private quoteStart = 0;
  private quoteEnd = 0;
  private doubledQuotes = false;
  /** The value of the quoted field just closed. */
  private quoted = '';
  /** After a refused record: dropping text up to the end of the line where it started. */
  private skipping = false;
  /** Index of the first refused character not yet looked at (NONE: none in the text): most records need no check. */
  private refusedAt = NONE;

  /** `firstLine`: the line the text pushed first starts on (a read resumed mid-file). */
  constructor(options: DelimitedOptions, firstLine = 1) {
    this.line = firstLine;
    this.delimiter = options.delimiter.charCodeAt(0);
    this.maxLines = options.maxRecordLines ?? DEFAULT_MAX_RECORD_LINES;
    this.maxBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
    this.maxFields = options.maxRecordFields ?? DEFAULT_MAX_RECORD_FIELDS;
  }

  *push(text: string): Generator<DelimitedRecord> {
    const from = this.text.length;
    this.text += text;
    if (this.refusedAt === NONE) this.refusedAt = this.findRefused(from);
    yield* this.scan(false);
  }

  *finish(): Generator<DelimitedRecord> {
    yield* this.scan(true);
    this.text = '';
    this.pos = this.recordStart = 0;
    this.refusedAt = NONE;
  }

  /** The text of the record not finished yet and the line it starts on; undefined while a refused record's line is skipped. */
  openRecord(): { line: number; text: string } | undefined {
    return this.skipping ? undefined : { line: this.line, text: this.text.slice(this.recordStart) };
  }

  /** Reads as far as the text allows; stops when more text is needed (or, when final, at the end). */
  private *scan(final: boolean): Generator<DelimitedRecord> {
    for (;;) {
      if (this.skipping) {
        if (!this.skipLine(final)) return;
        continue;
      }
      // characters never outnumber UTF-8 bytes, so this many characters are certainly too many bytes
      if (this.pos - this.recordStart > this.maxBytes) {
        yield this.refuse('ROW_TOO_LONG', this.tooLongMessage());
        continue;
      }
      if (this.fields.length > this.maxFields) {
        yield this.refuse('TOO_MANY_FIELDS', this.tooManyFieldsMessage());
        continue;
      }
      const text = this.text;
      if (this.pos >= text.length) {
        if (!final) return this.compact();
        if (this.pos === this.recordStart) return;
        if (this.state === 'quoted') {
          yield this.refuse('MALFORMED_ROW', 'A quoted field is not closed before the end of the file.');
          continue;
        }
        this.fields.push(this.lastFieldAtEnd());
        yield this.endRecord(this.pos);
        continue;
      }
      const c = text.charCodeAt(this.pos);
      // A CR at the end of the text may be the first half of CRLF: wait for the next character.
      if (c === CR && this.state !== 'quoted' && this.pos + 1 >= text.length && !final) return this.compact();

      switch (this.state) {
        case 'fieldStart':
          if (c === QUOTE) {
            this.openQuote();
          } else if (c === this.delimiter) {
            this.fields.push('');
            this.pos++;
          } else if (c === CR || c === LF) {
            this.fields.push('');
            yield this.endRecord(this.lineEnd(c));
          } else {
            this.state = 'unquoted';
            this.fieldStart = this.pos++;
          }
          break;

        case 'unquoted': {
          let i = this.pos;
          let d = c;
          while (d !== this.delimiter && d !== CR && d !== LF && d !== QUOTE) {
            if (++i >= text.length) break;
            d = text.charCodeAt(i);
          }
          this.pos = i;
          if (i >= text.length) break;
          if (d === QUOTE) {
            if (ONLY_SPACES.test(text.slice(this.fieldStart, i))) this.openQuote();
            else this.pos++;
          } else if (d === this.delimiter) {
            this.fields.push(text.slice(this.fieldStart, i));
            this.state = 'fieldStart';
            this.pos++;
          } else {
            // A CR found by the loop above may also sit at the end of the text.
            if (d === CR && i + 1 >= text.length && !final) return this.compact();
            this.fields.push(text.slice(this.fieldStart, i));
            yield this.endRecord(this.lineEnd(d));
          }
          break;
        }

        case 'quoted':
          if (c === QUOTE) {
            this.quoteEnd = this.pos;
            this.state = 'closingQuote';
          } else if (c === CR || (c === LF && text.charCodeAt(this.pos - 1) !== CR)) {
            if (++this.breaks + 1 > this.maxLines) {
              yield this.refuse(
                'MALFORMED_ROW',
                `A quoted field runs over more than ${String(this.maxLines)} lines; its closing quote is probably missing.`,
              );
              break;
            }
          }
          this.pos++;
          break;

        case 'closingQuote':
          if (c === QUOTE) {
            this.doubledQuotes = true;
            this.state = 'quoted';
            this.pos++;
          } else {
            this.quoted = this.quotedValue();
            this.state = 'afterQuoted';
          }
          break;

        case 'afterQuoted':
          if (c === SPACE) {
            this.pos++;
          } else if (c === this.delimiter) {
            this.fields.push(this.quoted);
            this.state = 'fieldStart';
            this.pos++;
          } else if (c === CR || c === LF) {
            this.fields.push(this.quoted);
            yield this.endRecord(this.lineEnd(c));
          } else {
            yield this.refuse(
              'MALFORMED_ROW',
              `Field ${String(this.fields.length + 1)} has text after its closing quote (a quote inside a quoted field must be doubled).`,
            );
          }
          break;
      }
    }
  }

  private openQuote(): void {
    this.state = 'quoted';
    this.quoteStart = ++this.pos;
    this.doubledQuotes = false;
  }

  /** The closed quoted field's value, sliced from the text once rather than built up piece by piece. */
  private quotedValue(): string {
    const raw = this.text.slice(this.quoteStart, this.quoteEnd);
    return this.doubledQuotes ? raw.replaceAll('""', '"') : raw;
  }

  /** Index just after the line break starting at pos (CRLF counts as one break). */
  private lineEnd(c: number): number {
    return c === CR && this.text.charCodeAt(this.pos + 1) === LF ? this.pos + 2 : this.pos + 1;
  }

  /** Completes the record whose text ends at pos, its line break (if any) ending at `end`; the record, or why it is refused. */
  private endRecord(end: number): DelimitedRecord {
    const record = this.checked({ line: this.line, endLine: this.line + this.breaks, fields: this.fields });
    this.line += this.breaks + 1;
    this.startRecordAt(end);
    return record;
  }

  /** The limits again for a whole record (its last field, its bytes), then the characters no field may hold. */
  private checked(record: DelimitedFields): DelimitedRecord {
    if (record.fields.length > this.maxFields) return problemAt(record.line, 'TOO_MANY_FIELDS', this.tooManyFieldsMessage());
    // a UTF-8 character is at most 3 bytes per UTF-16 unit, so only long records need counting
    const chars = this.pos - this.recordStart;
    if (chars * 3 > this.maxBytes && Buffer.byteLength(this.text.slice(this.recordStart, this.pos)) > this.maxBytes) {
      return problemAt(record.line, 'ROW_TOO_LONG', this.tooLongMessage());
    }
    const refused = this.refusedIn(this.recordStart, this.pos);
    return refused === null ? record : refusedCharacterProblem(record, refused);
  }

  /** The first refused character between start and end, as a char code, or null; moves refusedAt past end. */
  private refusedIn(start: number, end: number): number | null {
    if (this.refusedAt >= end) return null;
    // looked again: text has come since, and a surrogate that ended a pushed chunk may now have its pair
    const at = this.findRefused(Math.max(this.refusedAt, start));
    if (at >= end) {
      this.refusedAt = at;
      return null;
    }
    this.refusedAt = this.findRefused(end);
    return this.text.charCodeAt(at);
  }

  private findRefused(from: number): number {
    REFUSED.lastIndex = from;
    const match = REFUSED.exec(this.text);
    REFUSED.lastIndex = 0;
    return match ? match.index : NONE;
  }

  private tooLongMessage(): string {
    return `The row is longer than ${String(this.maxBytes)} bytes.`;
  }

  private tooManyFieldsMessage(): string {
    return `The row has more than ${String(this.maxFields)} fields.`;
  }

  /** The value of the field the text ends in, when the file does not end with a line break. */
  private lastFieldAtEnd(): string {
    switch (this.state) {
      case 'unquoted':
        return this.text.slice(this.fieldStart, this.pos);
      case 'closingQuote':
        return this.quotedValue();
      case 'afterQuoted':
        return this.quoted;
      default:
        return '';
    }
  }

  /** Reports the current record and arranges to read on from the line after the one it started on. */
  private refuse(code: DelimitedProblemCode, message: string): DelimitedProblem {
    const record: DelimitedProblem = { line: this.line, problem: { code, message } };
    this.startRecordAt(this.recordStart);
    this.skipping = true;
    return record;
  }

  private startRecordAt(index: number): void {
    this.pos = this.recordStart = index;
    this.breaks = 0;
    this.fields = [];
    this.quoted = '';
    this.state = 'fieldStart';
  }

  /** Drops text through the next line break; false when more text is needed first. */
  private skipLine(final: boolean): boolean {
    const text = this.text;
    for (let i = this.pos; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== CR && c !== LF) continue;
      if (c === CR && i + 1 >= text.length && !final) {
        this.pos = this.recordStart = i;
        this.compact();
        return false;
      }
      this.skipping = false;
      this.line++;
      this.pos = i;
      this.startRecordAt(this.lineEnd(c));
      return true;
    }
    this.pos = this.recordStart = text.length;
    this.compact();
    if (final) this.skipping = false;
    return final;
  }

  /** Forgets the text before the current record, so memory holds one record at most. */
  private compact(): void {
    if (this.recordStart === 0) return;
    this.text = this.text.slice(this.recordStart);
    this.pos -= this.recordStart;
    this.fieldStart -= this.recordStart;
    this.quoteStart -= this.recordStart;
    this.quoteEnd -= this.recordStart;
    this.refusedAt -= this.recordStart;
    this.recordStart = 0;
  }
}
