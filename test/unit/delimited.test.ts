import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  isBlankRecord,
  isProblemRecord,
  readDelimited,
  readDelimitedBatches,
  type DelimitedOptions,
  type DelimitedRecord,
} from '../../domain/delimited';

const CSV: DelimitedOptions = { delimiter: ',' };

async function readAll(chunks: Array<Buffer | string>, options: DelimitedOptions = CSV): Promise<DelimitedRecord[]> {
  const records: DelimitedRecord[] = [];
  for await (const record of readDelimited(chunks, options)) records.push(record);
  return records;
}

/** Records as `line: fields` or `line: !CODE`, compact enough to compare whole files at once. */
function summarize(records: DelimitedRecord[]): string[] {
  return records.map((r) => (isProblemRecord(r) ? `${r.line}: !${r.problem.code}` : `${r.line}: ${JSON.stringify(r.fields)}`));
}

test('splits simple rows and numbers lines from 1', async () => {
  const records = await readAll(['a,b,c\n1,2,3\n']);
  assert.deepEqual(records, [
    { line: 1, endLine: 1, fields: ['a', 'b', 'c'] },
    { line: 2, endLine: 2, fields: ['1', '2', '3'] },
  ]);
});

test('the last row needs no line break, and a trailing break adds no row', async () => {
  assert.deepEqual(summarize(await readAll(['a,b\n1,2'])), ['1: ["a","b"]', '2: ["1","2"]']);
  assert.deepEqual(summarize(await readAll(['a,b\n1,2\n'])), ['1: ["a","b"]', '2: ["1","2"]']);
  assert.deepEqual(await readAll(['']), []);
});

test('drops a UTF-8 byte order mark and decodes UTF-8', async () => {
  const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Name,City\nJosé,Zürich\n')]);
  assert.deepEqual(summarize(await readAll([bytes])), ['1: ["Name","City"]', '2: ["José","Zürich"]']);
});

test('a BOM split over chunks is still dropped', async () => {
  const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a\n')]);
  const records = await readAll([bytes.subarray(0, 1), bytes.subarray(1, 2), bytes.subarray(2)]);
  assert.deepEqual(summarize(records), ['1: ["a"]']);
});

test('decodes latin1 when asked', async () => {
  const bytes = Buffer.from('Name\nJos\xe9\n', 'latin1');
  assert.deepEqual(summarize(await readAll([bytes], { delimiter: ',', encoding: 'latin1' })), ['1: ["Name"]', '2: ["José"]']);
});

test('accepts CRLF, LF and lone CR line breaks', async () => {
  assert.deepEqual(summarize(await readAll(['a,b\r\n1,2\r\n3,4\n5,6\r7,8'])), [
    '1: ["a","b"]',
    '2: ["1","2"]',
    '3: ["3","4"]',
    '4: ["5","6"]',
    '5: ["7","8"]',
  ]);
});

test('quoted fields keep commas, doubled quotes and empty values', async () => {
  const records = await readAll(['"Smith, John","say ""hi""","",x\n']);
  assert.deepEqual(summarize(records), ['1: ["Smith, John","say \\"hi\\"","","x"]']);
});

test('a quoted field may hold line breaks; later line numbers stay right', async () => {
  const records = await readAll(['id,note\n1,"two\nlines"\n2,"three\r\nmore\r\nlines"\r\n3,plain\n']);
  assert.deepEqual(records, [
    { line: 1, endLine: 1, fields: ['id', 'note'] },
    { line: 2, endLine: 3, fields: ['1', 'two\nlines'] },
    { line: 4, endLine: 6, fields: ['2', 'three\r\nmore\r\nlines'] },
    { line: 7, endLine: 7, fields: ['3', 'plain'] },
  ]);
});

test('rows with fewer or more fields are returned as they are', async () => {
  assert.deepEqual(summarize(await readAll(['a,b,c\n1,2\n1,2,3,4\n1,2,\n'])), [
    '1: ["a","b","c"]',
    '2: ["1","2"]',
    '3: ["1","2","3","4"]',
    '4: ["1","2",""]',
  ]);
});

test('blank lines are returned as one empty field', async () => {
  const records = await readAll(['a\n\n  \r\nb\n\n']);
  assert.deepEqual(summarize(records), ['1: ["a"]', '2: [""]', '3: ["  "]', '4: ["b"]', '5: [""]']);
  const blank = records.filter((r) => !isProblemRecord(r) && isBlankRecord(r.fields));
  assert.equal(blank.length, 3);
});

test('reads tab-separated files, where commas are plain text', async () => {
  const records = await readAll(['id\tname\n007\tSmith, J\n"1\t2"\tx\n'], { delimiter: '\t' });
  assert.deepEqual(summarize(records), ['1: ["id","name"]', '2: ["007","Smith, J"]', '3: ["1\\t2","x"]']);
});

test('lenient quoting: a quote inside an unquoted field is text; spaces around quotes are ignored', async () => {
  const records = await readAll(['5" tall,O"Brien\na, "b,c" ,d\n']);
  assert.deepEqual(summarize(records), ['1: ["5\\" tall","O\\"Brien"]', '2: ["a","b,c","d"]']);
});

test('text after a closing quote is a malformed row; the next line is read normally', async () => {
  const records = await readAll(['a,b\n"x"y,2\n3,4\n']);
  assert.deepEqual(summarize(records), ['1: ["a","b"]', '2: !MALFORMED_ROW', '3: ["3","4"]']);
  const problem = records[1];
  assert.ok(problem && isProblemRecord(problem));
  assert.match(problem.problem.message, /closing quote/);
});

test('a quote never closed costs one row: reading resumes on the next physical line', async () => {
  const records = await readAll(['a,b\n1,"oops\n2,ok\n3,ok\n']);
  assert.deepEqual(summarize(records), ['1: ["a","b"]', '2: !MALFORMED_ROW', '3: ["2","ok"]', '4: ["3","ok"]']);
});

test('a stray quote closed by a later stray quote is malformed, and the rows between survive', async () => {
  const records = await readAll(['1,"Smith\n2,Jones\n3,"Lee" Jr",x\n4,ok\n']);
  assert.deepEqual(summarize(records), [
    '1: !MALFORMED_ROW',
    '2: ["2","Jones"]',
    '3: !MALFORMED_ROW',
    '4: ["4","ok"]',
  ]);
});

test('a quoted field spanning too many lines is reported without waiting for the end of the file', async () => {
  const lines = ['1,"open'];
  for (let i = 2; i <= 20; i++) lines.push(`${i},row`);
  const records = await readAll([lines.join('\n') + '\n'], { delimiter: ',', maxRecordLines: 5 });
  assert.equal(records.length, 20);
  assert.deepEqual(summarize(records).slice(0, 3), ['1: !MALFORMED_ROW', '2: ["2","row"]', '3: ["3","row"]']);
  assert.deepEqual(summarize(records).at(-1), '20: ["20","row"]');
});

test('an over-long row is reported and skipped without buffering it', async () => {
  const long = 'x'.repeat(5000);
  const chunks = ['a,b\n', long.slice(0, 2000), long.slice(2000), ',y\n', '2,z\n'];
  const records = await readAll(chunks, { delimiter: ',', maxRecordBytes: 1000 });
  assert.deepEqual(summarize(records), ['1: ["a","b"]', '2: !ROW_TOO_LONG', '3: ["2","z"]']);
});

/** Every way to cut `bytes` in two, plus one byte at a time, must read like the whole. */
async function assertChunkingDoesNotMatter(bytes: Buffer, options: DelimitedOptions = CSV): Promise<void> {
  const whole = await readAll([bytes], options);
  for (let cut = 0; cut <= bytes.length; cut++) {
    const split = await readAll([bytes.subarray(0, cut), bytes.subarray(cut)], options);
    assert.deepEqual(split, whole, `cut at byte ${cut}`);
  }
  const single: Buffer[] = [];
  for (let i = 0; i < bytes.length; i++) single.push(bytes.subarray(i, i + 1));
  assert.deepEqual(await readAll(single, options), whole, 'one byte at a time');
}

test('chunk boundaries anywhere (inside quotes, between CR and LF, inside a UTF-8 character) change nothing', async () => {
  const text =
    '\ufeffid,name,note\r\n' +
    '007,"Müller, Zoë","line one\r\nline ""two"""\r\n' +
    '008,José,\r\n' +
    '\r\n' +
    '009,"bad"x,€\r\n' +
    '010,"日本語",end';
  const bytes = Buffer.from(text, 'utf8');
  await assertChunkingDoesNotMatter(bytes);
  assert.deepEqual(summarize(await readAll([bytes])), [
    '1: ["id","name","note"]',
    '2: ["007","Müller, Zoë","line one\\r\\nline \\"two\\""]',
    '4: ["008","José",""]',
    '5: [""]',
    '6: !MALFORMED_ROW',
    '7: ["010","日本語","end"]',
  ]);
});

test('chunk boundaries around lone CRs and an unclosed quote at the end change nothing', async () => {
  await assertChunkingDoesNotMatter(Buffer.from('a\rb\r\r"c\rd"\r1,"never closed\r2,x'));
});

test('string chunks are read as they are', async () => {
  assert.deepEqual(summarize(await readAll(['a,"b', '\n', 'c"\r', '\nd'])), ['1: ["a","b\\nc"]', '3: ["d"]']);
});

test('readDelimitedBatches yields the same records, one array per input chunk', async () => {
  const chunks = ['a,b\n1,"x', '\ny"\n', '2,z'];
  const batches: DelimitedRecord[][] = [];
  for await (const batch of readDelimitedBatches(chunks, CSV)) batches.push(batch);
  assert.deepEqual(batches.flat(), await readAll(chunks));
  assert.deepEqual(batches.map((b) => b.length), [1, 1, 1]);
});

/** The garbage collector, reached without --expose-gc, so that retained memory can be measured. */
function collectGarbage(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

test('streams a 50 MB input with bounded memory', async () => {
  const row = '000123456,F,D,09/01/2025,,"Smith, Jane",REF-001\n';
  const rowsPerChunk = 1000;
  const chunk = Buffer.from(row.repeat(rowsPerChunk));
  const chunks = Math.ceil((50 * 1024 * 1024) / chunk.length);
  async function* generate(): AsyncGenerator<Buffer> {
    for (let i = 0; i < chunks; i++) yield Buffer.from(chunk);
  }
  const gc = collectGarbage();
  gc();
  const baseline = process.memoryUsage().heapUsed;
  let retainedPeak = 0;
  let count = 0;
  let lastLine = 0;
  let batches = 0;
  for await (const batch of readDelimitedBatches(generate(), CSV)) {
    for (const record of batch) {
      if (isProblemRecord(record) || record.fields.length !== 7 || record.line !== count + 1) {
        assert.fail(`unexpected record ${JSON.stringify(record)}`);
      }
      count++;
      lastLine = record.line;
    }
    if (++batches % 100 === 0) {
      gc();
      retainedPeak = Math.max(retainedPeak, process.memoryUsage().heapUsed - baseline);
    }
  }
  assert.equal(count, chunks * rowsPerChunk);
  assert.equal(lastLine, count);
  assert.ok(chunks * chunk.length >= 50 * 1024 * 1024);
  // Holding the input would retain over 50 MB; one chunk and one record are far below this.
  assert.ok(retainedPeak < 8 * 1024 * 1024, `retained ${Math.round(retainedPeak / 1024 / 1024)} MB`);
});

// Hostile content: each case is one row error with its line, and the rows around it read normally.

/** Yields `total` bytes of `unit` in 64 KiB chunks, as a file server would, without holding them all. */
async function* repeated(unit: string, total: number): AsyncGenerator<Buffer> {
  const chunk = Buffer.from(unit.repeat(Math.ceil(65536 / unit.length)));
  for (let sent = 0; sent < total; sent += chunk.length) yield chunk.subarray(0, Math.min(chunk.length, total - sent));
}

async function* concat(...parts: Array<Iterable<Buffer> | AsyncIterable<Buffer>>): AsyncGenerator<Buffer> {
  for (const part of parts) yield* part;
}

test('a NUL in a field is a CONTROL_CHARACTER row error naming the field, never its text', async () => {
  const records = await readAll(['id,name\n1,Ann\n2,Bo\0b\n3,Cy\n']);
  assert.deepEqual(summarize(records), ['1: ["id","name"]', '2: ["1","Ann"]', '3: !CONTROL_CHARACTER', '4: ["3","Cy"]']);
  const problem = records[2];
  assert.ok(problem && isProblemRecord(problem));
  assert.equal(problem.problem.message, 'Field 2 holds the control character U+0000, which no field may hold.');
});

test('every C0 control but tab, CR and LF, and DEL, is refused; tab and quoted line breaks are text', async () => {
  const refused = [...Array.from({ length: 32 }, (_, i) => i).filter((i) => ![9, 10, 13].includes(i)), 0x7f];
  for (const code of refused) {
    const records = await readAll([`a,b\nx${String.fromCharCode(code)},y\nok,ok\n`]);
    assert.deepEqual(summarize(records), ['1: ["a","b"]', '2: !CONTROL_CHARACTER', '3: ["ok","ok"]'], `U+${code.toString(16)}`);
  }
  assert.deepEqual(summarize(await readAll(['a\tb,"c\r\nd"\n'])), ['1: ["a\\tb","c\\r\\nd"]']);
});

test('a control character inside a quoted field spanning lines is refused at the line the row starts', async () => {
  const records = await readAll(['1,"two\nli\x01nes"\n2,ok\n']);
  assert.deepEqual(summarize(records), ['1: !CONTROL_CHARACTER', '3: ["2","ok"]']);
});

test('latin1 files: every byte is a character, but NUL and the other controls are still refused', async () => {
  const bytes = Buffer.from('Jos\xe9,\x85\n\x00,x\nok,\xff\n', 'latin1');
  const records = await readAll([bytes], { delimiter: ',', encoding: 'latin1' });
  assert.deepEqual(summarize(records), ['1: ["José","\x85"]', '2: !CONTROL_CHARACTER', '3: ["ok","ÿ"]']);
});

test('bytes that are not UTF-8 make their row INVALID_ENCODING; a real U+FFFD and other rows read normally', async () => {
  const bytes = Buffer.concat([
    Buffer.from('id,name\n1,'),
    Buffer.from([0x4a, 0x6f, 0x73, 0xe9]), // "José" written in Latin-1
    Buffer.from('\n2,\ufffd ok\n3,'),
    Buffer.from([0xed, 0xa0, 0x80]), // an encoded surrogate
    Buffer.from('\n4,😀\n5,'),
    Buffer.from([0xf0, 0x9f]), // a character cut off by the end of the file
  ]);
  const records = await readAll([bytes]);
  assert.deepEqual(summarize(records), ['1: ["id","name"]', '2: !INVALID_ENCODING', '3: ["2","\ufffd ok"]', '4: !INVALID_ENCODING', '5: ["4","😀"]', '6: !INVALID_ENCODING']);
  const problem = records[1];
  assert.ok(problem && isProblemRecord(problem));
  assert.equal(problem.problem.message, 'Field 2 holds bytes that are not valid UTF-8.');
});

test('chunk boundaries anywhere in hostile rows change nothing', async () => {
  const bytes = Buffer.concat([
    Buffer.from('a,"b\0",c\r\n😀,'),
    Buffer.from([0xe2, 0x82]),
    Buffer.from(',x\r\n€,"q""\x7f"\r\n"bad"\0,1\r\nclean,1\r\nlast,'),
    Buffer.from([0xc3]),
  ]);
  await assertChunkingDoesNotMatter(bytes);
  assert.deepEqual(summarize(await readAll([bytes])), [
    '1: !CONTROL_CHARACTER',
    '2: !INVALID_ENCODING',
    '3: !CONTROL_CHARACTER',
    '4: !MALFORMED_ROW',
    '5: ["clean","1"]',
    '6: !INVALID_ENCODING',
  ]);
});

test('the row limit counts UTF-8 bytes, not characters', async () => {
  const options: DelimitedOptions = { delimiter: ',', maxRecordBytes: 10 };
  // five é are ten bytes; six are twelve bytes in six characters
  assert.deepEqual(summarize(await readAll(['ééééé\néééééé\nok\n'], options)), ['1: ["ééééé"]', '2: !ROW_TOO_LONG', '3: ["ok"]']);
});

test('a row with more fields than the limit is TOO_MANY_FIELDS, whether or not its line break has come', async () => {
  const options: DelimitedOptions = { delimiter: ',', maxRecordFields: 3 };
  assert.deepEqual(summarize(await readAll(['a,b,c\na,b,c,d\n"a","b","c","d"\nok\n'], options)), [
    '1: ["a","b","c"]',
    '2: !TOO_MANY_FIELDS',
    '3: !TOO_MANY_FIELDS',
    '4: ["ok"]',
  ]);
  // found before the end of the row: the rest of the line is skipped unread
  assert.deepEqual(summarize(await readAll(['a,b,c,d,e,f,g,', 'h,i\nok\n'], options)), ['1: !TOO_MANY_FIELDS', '2: ["ok"]']);
});

const TEN_MB_LINE = () => concat([Buffer.from('id,x\n1,')], repeated('x', 10 * 1024 * 1024), [Buffer.from('\n2,ok\n')]);
const MILLION_FIELDS = () => concat([Buffer.from('a\n')], repeated(',', 1_000_000), [Buffer.from('\nok\n')]);

async function readTimed(input: AsyncIterable<Buffer>): Promise<{ records: DelimitedRecord[]; ms: number }> {
  const started = performance.now();
  const records: DelimitedRecord[] = [];
  for await (const record of readDelimited(input, CSV)) records.push(record);
  return { records, ms: Math.round(performance.now() - started) };
}

/** The most heap the reader kept, measured between input chunks (by then it has taken in every earlier one). */
async function retainedWhileReading(input: AsyncIterable<Buffer>): Promise<number> {
  const gc = collectGarbage();
  gc();
  const baseline = process.memoryUsage().heapUsed;
  let retainedPeak = 0;
  let chunks = 0;
  async function* measured(): AsyncGenerator<Buffer> {
    for await (const chunk of input) {
      yield chunk;
      if (++chunks % 4 !== 0) continue;
      gc();
      retainedPeak = Math.max(retainedPeak, process.memoryUsage().heapUsed - baseline);
    }
  }
  for await (const batch of readDelimitedBatches(measured(), CSV)) assert.ok(batch.length > 0);
  return retainedPeak;
}

/** The row limit (1 MiB) and a chunk, with room: far below what holding a 10 MB line or a million fields takes. */
const BOUNDED = 4 * 1024 * 1024;

test('a 10 MB line is ROW_TOO_LONG, quickly, and the next line reads', async (t) => {
  const { records, ms } = await readTimed(TEN_MB_LINE());
  t.diagnostic(`10 MB line: ${ms} ms`);
  assert.deepEqual(summarize(records), ['1: ["id","x"]', '2: !ROW_TOO_LONG', '3: ["2","ok"]']);
});

test('a 10 MB line is read in bounded memory', async (t) => {
  const retained = await retainedWhileReading(TEN_MB_LINE());
  t.diagnostic(`10 MB line: ${(retained / 1024 / 1024).toFixed(1)} MB retained at most`);
  assert.ok(retained < BOUNDED, `retained ${(retained / 1024 / 1024).toFixed(1)} MB`);
});

test('a row of a million empty fields is TOO_MANY_FIELDS, quickly, and the next line reads', async (t) => {
  const { records, ms } = await readTimed(MILLION_FIELDS());
  t.diagnostic(`a million fields: ${ms} ms`);
  assert.deepEqual(summarize(records), ['1: ["a"]', '2: !TOO_MANY_FIELDS', '3: ["ok"]']);
});

test('a row of a million empty fields is read in bounded memory', async (t) => {
  const retained = await retainedWhileReading(MILLION_FIELDS());
  t.diagnostic(`a million fields: ${(retained / 1024 / 1024).toFixed(1)} MB retained at most`);
  assert.ok(retained < BOUNDED, `retained ${(retained / 1024 / 1024).toFixed(1)} MB`);
});

test('10 MB of quotes on one line is ROW_TOO_LONG, and the next line reads', async () => {
  const records: DelimitedRecord[] = [];
  for await (const record of readDelimited(concat(repeated('"', 10 * 1024 * 1024), [Buffer.from('\nok\n')]), CSV)) records.push(record);
  assert.deepEqual(summarize(records), ['1: !ROW_TOO_LONG', '2: ["ok"]']);
});

test('a quote never closed in a large file costs its row only: every later line still reads', async () => {
  const lines = ['1,"never closed'];
  for (let i = 2; i <= 50_000; i++) lines.push(`${i},row`);
  const records = await readAll([lines.join('\n') + '\n']);
  assert.equal(records.length, 50_000);
  assert.deepEqual(summarize(records).slice(0, 2), ['1: !MALFORMED_ROW', '2: ["2","row"]']);
  assert.ok(records.slice(1).every((r, i) => !isProblemRecord(r) && r.line === i + 2));
});
