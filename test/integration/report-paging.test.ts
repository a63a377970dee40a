import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { utimesSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { startSshd, type TestSshd } from '../sources/sshd';
import { createDistrictWithKey, putServerFile, SHORT_HEADER_MAPPING } from '../support/fixtures';
import { openApiValidator } from '../support/openapi-validator';
import { startTestSystem, waitForRun, type TestSystem } from '../support/system';

/** Two files of 20,000 and 10,000 applied rows, each with unknown students between them, and an upload in progress. */
const FILES = [
  { name: 'IC_Eligibility_a.csv', students: 20_000, unknownEvery: 70, firstStudent: 0 },
  { name: 'IC_Eligibility_b.csv', students: 10_000, unknownEvery: 50, firstStudent: 20_000 },
];
const PARTIAL = 'IC_Eligibility_c.csv.part';
const RECORDS = 30_000;

type Expected = { records: string[]; problems: string[] };

/** Each file's content, and the report's records and problems as `file:line:student` and `file:line:code`, in report order. */
function buildFiles(): { contents: Buffer[]; expected: Expected } {
  const expected: Expected = { records: [], problems: [`${PARTIAL}::FILE_STILL_WRITING`] };
  const contents = FILES.map((file) => {
    const lines = ['ID,S,T,A,B'];
    for (let i = 0; i < file.students; i++) {
      if (i % file.unknownEvery === 0) {
        lines.push(`NOBODY${i},F,D,08/01/2025,`);
        expected.problems.push(`${file.name}:${lines.length}:STUDENT_NOT_FOUND`);
      }
      const student = `S${file.firstStudent + i}`;
      lines.push(`${student},F,D,08/01/2025,`);
      expected.records.push(`${file.name}:${lines.length}:${student}`);
    }
    return Buffer.from(lines.join('\n') + '\n');
  });
  return { contents, expected };
}

const recordId = (r: { file: string; line: number; studentNumber: string }) => `${r.file}:${r.line}:${r.studentNumber}`;
const problemId = (p: { file: string; line: number | null; code: string }) => `${p.file}:${p.line ?? ''}:${p.code}`;

describe('a report of 30,000 records', () => {
  let system: TestSystem;
  let sshd: TestSshd;
  let key = '';
  let runId = '';
  const { contents, expected } = buildFiles();

  before(async () => {
    [system, sshd] = await Promise.all([startTestSystem(), startSshd()]);
    ({ key } = await createDistrictWithKey(system, 'Paging USD'));
    // 10,000 students a request, the route's most
    for (let first = 0; first < RECORDS; first += 10_000) {
      const students = Array.from({ length: 10_000 }, (_, i) => ({ studentNumber: `S${first + i}`, firstName: 'F', lastName: `L${first + i}` }));
      assert.equal((await system.call('PUT', '/api/students', { key, body: students })).status, 200);
    }
    const mapping = await system.call('POST', '/api/mappings', { key, body: SHORT_HEADER_MAPPING });
    const imp = await system.call('POST', '/api/imports', { key, body: { name: 'Paging', kind: 'eligibility', mappingId: mapping.body.id, connection: sshd.connection('in') } });
    assert.equal(imp.status, 201, imp.text);
    FILES.forEach((file, i) => {
      const path = putServerFile(sshd, 'in', file.name, contents[i]!);
      const mtime = new Date(Date.UTC(2026, 0, 1 + i)); // oldest first: a, then b
      utimesSync(path, mtime, mtime);
    });
    putServerFile(sshd, 'in', PARTIAL, 'ID,S,T,A,B\n');
    const started = await system.call('POST', `/api/imports/${imp.body.id}/run`, { key });
    const run = await waitForRun(system, key, started.body.runId, 300_000);
    assert.equal(run.status, 'completed', JSON.stringify(run.error));
    runId = run.id;
  });
  after(async () => {
    await sshd?.stop();
    await system?.stop();
  });

  it('pages every record, then every problem, exactly once and in order; next is null on the last page', async () => {
    const records: string[] = [];
    const problems: string[] = [];
    const summaries: unknown[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor === null ? '?limit=7000' : `?limit=7000&cursor=${cursor}`;
      const page = await system.call('GET', `/api/runs/${runId}/report${query}`, { key });
      assert.equal(page.status, 200, page.text);
      records.push(...page.body.records.map(recordId));
      problems.push(...page.body.problems.map(problemId));
      summaries.push(page.body.summary);
      cursor = page.body.next;
      pages++;
    } while (cursor !== null && pages < 20);
    assert.equal(records.length, RECORDS);
    assert.deepEqual(records, expected.records);
    assert.deepEqual(problems, expected.problems);
    assert.equal(pages, Math.ceil((expected.records.length + expected.problems.length) / 7000));
    // the summary is always the whole report's
    for (const summary of summaries) assert.deepEqual(summary, { new: RECORDS, updated: 0, ended: 0, removed: 0, existing: 0, errors: expected.problems.length - 1, warnings: 1 });
  });

  it('gives 1,000 items a page unless asked, 10,000 at most, and refuses a cursor it did not give', async () => {
    const first = await system.call('GET', `/api/runs/${runId}/report`, { key });
    assert.equal(first.body.records.length, 1000);
    assert.equal(typeof first.body.next, 'string');
    const tooMany = await system.call('GET', `/api/runs/${runId}/report?limit=10001`, { key });
    assert.equal(tooMany.status, 422);
    assert.equal(tooMany.body.error.details[0].field, 'limit');
    const forged = Buffer.from(JSON.stringify(['r', 0, "2) or (1=1", 0])).toString('base64url');
    for (const cursor of [forged, 'garbage!', first.body.next + 'x']) {
      const res = await system.call('GET', `/api/runs/${runId}/report?cursor=${encodeURIComponent(cursor)}`, { key });
      assert.equal(res.status, 422, cursor);
      assert.equal(res.body.error.details[0].field, 'cursor');
    }
  });

  it('answers pages the OpenAPI document describes', async () => {
    const validate = openApiValidator().response('GET', '/api/runs/{runId}/report', 200)!;
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { next: string | null } = (await system.call('GET', `/api/runs/${runId}/report?limit=10000${cursor === null ? '' : `&cursor=${cursor}`}`, { key })).body;
      assert.ok(validate(page), JSON.stringify(validate.errors));
      cursor = page.next;
    } while (cursor !== null && ++pages < 10);
    assert.equal(pages, 3, 'four pages, the last with next null');
  });

  it('streams the whole report as CSV in pieces, in the same order as the pages', async (t) => {
    const gc = collectGarbage();
    gc();
    const baseline = process.memoryUsage().heapUsed;
    const response = await system.request('GET', `/api/runs/${runId}/report`, { key, headers: { accept: 'text/csv' } });
    assert.equal(response.status, 200);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let pieces = 0;
    let bytes = 0;
    let rest = '';
    const lines: string[] = [];
    let heapPeak = 0;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      pieces++;
      bytes += value.length;
      const text = rest + decoder.decode(value, { stream: true });
      const complete = text.split('\r\n');
      rest = complete.pop()!;
      // only what identifies a row is kept, so the test's own memory stays small
      for (const line of complete) lines.push(line.split(',', 4).join(','));
      if (pieces % 5 === 0) {
        gc();
        heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed - baseline);
      }
    }
    t.diagnostic(`CSV: ${(bytes / 1024 / 1024).toFixed(1)} MB in ${pieces} pieces; the API's heap grew by ${(heapPeak / 1024 / 1024).toFixed(1)} MB at most while it streamed`);
    assert.equal(rest, '');
    assert.ok(pieces > RECORDS / 1000, `${pieces} pieces`);
    assert.equal(lines[0], 'type,file,line,name');
    const expectedLines = [
      ...expected.records.map((r) => `record,${r.split(':').slice(0, 2).join(',')},"L${r.split(':')[2]!.slice(1)}`),
      ...expected.problems.map((p) => `problem,${p.split(':').slice(0, 2).join(',')},`),
    ];
    assert.deepEqual(lines.slice(1), expectedLines);
  });
});

/** The garbage collector, reached without --expose-gc, so that the heap can be measured. */
function collectGarbage(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}
