import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reportCsvStream } from '../../api/report-csv-stream';
import { kindOf } from '../../kinds';
import { fakeReport, fakeReportSource } from '../support/fake-report-source';

const BATCH = 100;
const eligibility = kindOf('eligibility');

/** Reads the body as a slow client would, noting after each piece how many rows the source had handed out but the client not yet received. */
async function readSlowly(body: ReadableStream<Uint8Array>, source: { served: number }) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let pieces = 0;
  let mostInFlight = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    pieces++;
    const received = text.split('\r\n').length - 2; // without the header and what follows the last line break
    mostInFlight = Math.max(mostInFlight, source.served - received);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { lines: text.split('\r\n').slice(0, -1), pieces, mostInFlight };
}

test('the CSV holds the header, every record, then every problem, once each and in order', async () => {
  const report = fakeReport({ records: 2_345, problems: 321 });
  const { lines } = await readSlowly(reportCsvStream(eligibility, fakeReportSource(report), BATCH), { served: 0 });
  assert.equal(lines[0], 'type,file,line,name,studentNumber,schoolYear,startDate,endDate,eligibility,certifiedType,applicationName,referenceNumber,status,severity,code,message');
  const expected = [...report.records.map((r) => `record,${r.file},${r.line},"${r.data.name as string}",${r.student}`), ...report.problems.map((p) => `problem,${p.file},${p.line ?? ''},`)];
  assert.equal(lines.length - 1, expected.length);
  lines.slice(1).forEach((line, i) => assert.ok(line.startsWith(expected[i]!), `line ${i + 1}: ${line} does not start with ${expected[i]}`));
});

test('the body comes a batch at a time, and the source is never more than one batch ahead of the client', async () => {
  const report = fakeReport({ records: 20_000, problems: 2_000 });
  const source = fakeReportSource(report);
  const { pieces, mostInFlight } = await readSlowly(reportCsvStream(eligibility, source, BATCH), source);
  assert.equal(source.served, 22_000);
  assert.ok(pieces >= 22_000 / BATCH, `${pieces} pieces`);
  assert.ok(mostInFlight <= BATCH, `${mostInFlight} rows were read ahead of the client`);
});

test('a client that stops reading stops the reading from the source', async () => {
  const source = fakeReportSource(fakeReport({ records: 10_000, problems: 0 }));
  const reader = reportCsvStream(eligibility, source, BATCH).getReader();
  await reader.read(); // the header
  await reader.read(); // the first batch
  await reader.cancel();
  assert.equal(source.served, BATCH);
});
