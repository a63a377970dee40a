import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DelimitedBatchReader, type DelimitedOptions, type DelimitedRecord, type DelimitedResumePoint } from '../../domain/delimited';

/** A file with what makes resuming hard: a BOM, multi-byte characters, quoted line breaks, CRLF, blank lines, a stray quote, a bad byte. */
const FILE = Buffer.concat([
  Buffer.from('\ufeffid,name,note\r\n1,Zoë,"two\nlines"\r\n\r\n2,"Ann ""A"" Lee",日本語\n3,bad "quote,x\n'),
  Buffer.from([0x34, 0x2c, 0xff, 0x2c, 0x78, 0x0a]),
  Buffer.from('5,"unclosed\n6,ok,😀\n7,last,row'),
]);

interface Taken {
  /** Bytes of the input read when the point was taken. */
  bytes: number;
  point: DelimitedResumePoint;
  /** Records read before it. */
  before: number;
}

/** Reads `file` in chunks of `size` bytes, taking a resume point after every batch it can. */
async function readTakingPoints(file: Buffer, size: number, options: DelimitedOptions): Promise<{ records: DelimitedRecord[]; points: Taken[] }> {
  const reader = new DelimitedBatchReader(options);
  const progress = { bytes: 0 };
  async function* chunks() {
    for (let at = 0; at < file.length; at += size) {
      const chunk = file.subarray(at, at + size);
      progress.bytes += chunk.length;
      yield chunk;
    }
  }
  const records: DelimitedRecord[] = [];
  const points: Taken[] = [];
  for await (const batch of reader.batches(chunks())) {
    records.push(...batch);
    const point = reader.resumePoint();
    if (point) points.push({ bytes: progress.bytes, point, before: records.length });
  }
  return { records, points };
}

async function readFrom(file: Buffer, taken: Taken, size: number, options: DelimitedOptions): Promise<DelimitedRecord[]> {
  const rest: Buffer[] = [];
  for (let at = taken.bytes; at < file.length; at += size) rest.push(file.subarray(at, at + size));
  const records: DelimitedRecord[] = [];
  for await (const batch of new DelimitedBatchReader(options, taken.point).batches(rest)) records.push(...batch);
  return records;
}

for (const [encoding, file] of [
  ['utf8', FILE],
  ['latin1', Buffer.from('id,name\n1,Zoë\n2,"Ren\né"\n3,Åsa\n', 'latin1')],
] as const) {
  test(`a read resumed from any point it gave reads on exactly as the whole read did (${encoding})`, async () => {
    const options: DelimitedOptions = { delimiter: ',', encoding };
    let points = 0;
    for (const size of [1, 2, 3, 5, 7, 16, 64]) {
      const whole = await readTakingPoints(file, size, options);
      for (const taken of whole.points) {
        assert.deepEqual(await readFrom(file, taken, size, options), whole.records.slice(taken.before), `chunks of ${size}, resumed at byte ${taken.bytes}`);
        points++;
      }
    }
    assert.ok(points > 20, `resume points were taken (${points})`);
  });
}

test('no resume point while a refused row is being skipped, nor in an encoding whose text does not give its bytes back', async () => {
  const skipping = new DelimitedBatchReader({ delimiter: ',', maxRecordFields: 2 });
  for await (const _ of skipping.batches(['a,b\n1,2,3,4'])) assert.equal(skipping.resumePoint(), undefined);
  const ascii = new DelimitedBatchReader({ delimiter: ',', encoding: 'ascii' });
  for await (const _ of ascii.batches(['a,b\n1,2'])) assert.equal(ascii.resumePoint(), undefined);
});
