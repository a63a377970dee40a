import { StringDecoder } from 'node:string_decoder';

/**
 * A streaming reader for comma- or tab-separated files (RFC 4180 quoting).
 *
 * It never throws on bad data and never holds more than the record being read: a row it
 * cannot make sense of becomes a MALFORMED_ROW record, and reading goes on with the
 * physical line after the one where that row started, so one stray quote costs one row.
 *
 * Lenient where the meaning is still clear: a quote inside an unquoted field is kept as
 * text (`5" tall`), spaces around a quoted field are ignored (`a, "b,c" ,d`), and a lone
 * CR ends a line just as LF and CRLF do.
 */

export type Delimiter = ',' | '\t';

export interface DelimitedOptions {
  delimiter: Delimiter;
  /** How bytes become text; UTF-8 by default. A leading BOM is always dropped. */
  encoding?: BufferEncoding;
  /** A record spanning more physical lines than this has a quote that is probably never closed. */
  maxRecordLines?: number;
  /** A record longer than this (in characters) is reported instead of being buffered further. */
  maxRecordChars?: number;
}

export interface DelimitedFields {
  /** 1-based physical line where the record starts. */
  line: number;
  /** Physical line where it ends; later than `line` only when a quoted field holds line breaks. */
  endLine: number;
  /** Field values as written (quotes removed, doubled quotes undone), not trimmed. A blank line is `['']`. */
  fields: string[];
}

export interface DelimitedProblem {
  line: number;
  problem: { code: 'MALFORMED_ROW'; message: string };
}

export type DelimitedRecord = DelimitedFields | DelimitedProblem;

export const DEFAULT_MAX_RECORD_LINES = 100;
export const DEFAULT_MAX_RECORD_CHARS = 1_048_576;

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
export async function* readDelimitedBatches(
  input: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
  options: DelimitedOptions,
): AsyncGenerator<DelimitedRecord[]> {
  const decoder = new StringDecoder(options.encoding ?? 'utf8');
  const scanner = new DelimitedScanner(options);
  let started = false;
  const textOf = (text: string): string => {
    if (started || text.length === 0) return text;
    started = true;
    return text.charCodeAt(0) === BOM ? text.slice(1) : text;
  };
  for await (const chunk of input) {
    const text = textOf(typeof chunk === 'string' ? chunk : decoder.write(chunk));
    if (text.length === 0) continue;
    const batch = [...scanner.push(text)];
    if (batch.length > 0) yield batch;
  }
  const rest = textOf(decoder.end());
  const batch = [...(rest.length > 0 ? scanner.push(rest) : []), ...scanner.finish()];
  if (batch.length > 0) yield batch;
}

const BOM = 0xfeff;
const QUOTE = 34;
const CR = 13;
const LF = 10;
const SPACE = 32;
const ONLY_SPACES = /^ *$/;

type ScanState =
  | 'fieldStart' // before the first character of a field
  | 'unquoted' // inside a field that did not start with a quote
  | 'quoted' // inside a quoted field
  | 'closingQuote' // just after a quote inside a quoted field: the end, or the first of a doubled quote
  | 'afterQuoted'; // spaces after a closed quoted field

/** The state machine behind readDelimited; feed it text with push() and end it with finish(). */
export class DelimitedScanner {
  private readonly delimiter: number;
  private readonly maxLines: number;
  private readonly maxChars: number;

  /** Text not yet consumed; it starts at the current record so that a malformed one can be read again. */
  private text = '';
  private pos = 0;
  private recordStart = 0;
  /** Line where the current record starts, and line breaks seen inside it so far. */
  private line = 1;
  private breaks = 0;
  private state: ScanState = 'fieldStart';
  private fields: string[] = [];
  private fieldStart = 0;
  private quoted = '';
  private segmentStart = 0;
  /** After a malformed record: dropping text up to the end of the line where it started. */
  private skipping = false;

  constructor(options: DelimitedOptions) {
    this.delimiter = options.delimiter.charCodeAt(0);
    this.maxLines = options.maxRecordLines ?? DEFAULT_MAX_RECORD_LINES;
    this.maxChars = options.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS;
  }

  *push(text: string): Generator<DelimitedRecord> {
    this.text += text;
    yield* this.scan(false);
  }

  *finish(): Generator<DelimitedRecord> {
    yield* this.scan(true);
    this.text = '';
    this.pos = this.recordStart = 0;
  }

  /** Reads as far as the text allows; stops when more text is needed (or, when final, at the end). */
  private *scan(final: boolean): Generator<DelimitedRecord> {
    for (;;) {
      if (this.skipping) {
        if (!this.skipLine(final)) return;
        continue;
      }
      if (this.pos - this.recordStart > this.maxChars) {
        yield this.malformed(`The row is longer than ${String(this.maxChars)} characters.`);
        continue;
      }
      const text = this.text;
      if (this.pos >= text.length) {
        if (!final) return this.compact();
        if (this.pos === this.recordStart) return;
        if (this.state === 'quoted') {
          yield this.malformed('A quoted field is not closed before the end of the file.');
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
            this.quoted += text.slice(this.segmentStart, this.pos);
            this.state = 'closingQuote';
          } else if (c === CR || (c === LF && text.charCodeAt(this.pos - 1) !== CR)) {
            if (++this.breaks + 1 > this.maxLines) {
              yield this.malformed(
                `A quoted field runs over more than ${String(this.maxLines)} lines; its closing quote is probably missing.`,
              );
              break;
            }
          }
          this.pos++;
          break;

        case 'closingQuote':
        case 'afterQuoted':
          if (c === QUOTE && this.state === 'closingQuote') {
            this.segmentStart = this.pos;
            this.state = 'quoted';
            this.pos++;
          } else if (c === SPACE) {
            this.state = 'afterQuoted';
            this.pos++;
          } else if (c === this.delimiter) {
            this.fields.push(this.quoted);
            this.state = 'fieldStart';
            this.pos++;
          } else if (c === CR || c === LF) {
            this.fields.push(this.quoted);
            yield this.endRecord(this.lineEnd(c));
          } else {
            yield this.malformed(
              `Field ${String(this.fields.length + 1)} has text after its closing quote (a quote inside a quoted field must be doubled).`,
            );
          }
          break;
      }
    }
  }

  private openQuote(): void {
    this.state = 'quoted';
    this.quoted = '';
    this.segmentStart = ++this.pos;
  }

  /** Index just after the line break starting at pos (CRLF counts as one break). */
  private lineEnd(c: number): number {
    return c === CR && this.text.charCodeAt(this.pos + 1) === LF ? this.pos + 2 : this.pos + 1;
  }

  /** Completes the record whose text ends at `end` (after its line break, if any). */
  private endRecord(end: number): DelimitedFields {
    const record: DelimitedFields = { line: this.line, endLine: this.line + this.breaks, fields: this.fields };
    this.line += this.breaks + 1;
    this.startRecordAt(end);
    return record;
  }

  /** The value of the field the text ends in, when the file does not end with a line break. */
  private lastFieldAtEnd(): string {
    switch (this.state) {
      case 'unquoted':
        return this.text.slice(this.fieldStart, this.pos);
      case 'closingQuote':
      case 'afterQuoted':
        return this.quoted;
      default:
        return '';
    }
  }

  /** Reports the current record and arranges to read on from the line after the one it started on. */
  private malformed(message: string): DelimitedProblem {
    const record: DelimitedProblem = { line: this.line, problem: { code: 'MALFORMED_ROW', message } };
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
    this.segmentStart -= this.recordStart;
    this.recordStart = 0;
  }
}
