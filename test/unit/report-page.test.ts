import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeReportCursor, encodeReportCursor, REPORT_START } from '../../api/report-cursor';
import { loadReportPage } from '../../api/report-page';
import { fakeReport, fakeReportSource } from '../support/fake-report-source';

/** Reads every page the way a client does: from no cursor, then each `next` as the API hands it out (a string). */
async function readAllPages(shape: { records: number; problems: number; files: number }, limit: number) {
  const report = fakeReport(shape);
  const source = fakeReportSource(report);
  const pages = [];
  let cursor: string | null = null;
  do {
    const from = cursor === null ? REPORT_START : decodeReportCursor(cursor);
    assert.ok(from, `cursor ${cursor} decodes`);
    const page = await loadReportPage(source, from, limit);
    pages.push(page);
    cursor = page.next && encodeReportCursor(page.next);
  } while (cursor !== null && pages.length <= shape.records + shape.problems + 1);
  return { report, pages };
}

test('paging yields every record, then every problem, exactly once and in order; next is null only after the last', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.record({ records: fc.nat(60), problems: fc.nat(30), files: fc.integer({ min: 1, max: 4 }) }),
      fc.integer({ min: 1, max: 25 }),
      async (shape, limit) => {
        const { report, pages } = await readAllPages(shape, limit);
        assert.deepEqual(pages.flatMap((p) => p.records), report.records);
        assert.deepEqual(pages.flatMap((p) => p.problems), report.problems);
        assert.equal(pages.at(-1)!.next, null);
        for (const page of pages) assert.ok(page.records.length + page.problems.length <= limit);
        // only an empty report has an empty page
        if (shape.records + shape.problems > 0) for (const page of pages) assert.ok(page.records.length + page.problems.length > 0);
        // every page but the last is full
        for (const page of pages.slice(0, -1)) assert.equal(page.records.length + page.problems.length, limit);
      },
    ),
  );
});

test('a page may end the records and begin the problems', async () => {
  const { pages } = await readAllPages({ records: 5, problems: 5, files: 2 }, 7);
  assert.deepEqual(pages.map((p) => [p.records.length, p.problems.length]), [[5, 2], [0, 3]]);
});

test('records that fill the page exactly leave the problems to the next page, and no empty page follows the last', async () => {
  assert.deepEqual((await readAllPages({ records: 7, problems: 2, files: 1 }, 7)).pages.map((p) => [p.records.length, p.problems.length, p.next === null]), [
    [7, 0, false],
    [0, 2, true],
  ]);
  assert.deepEqual((await readAllPages({ records: 7, problems: 0, files: 1 }, 7)).pages.map((p) => [p.records.length, p.next === null]), [[7, true]]);
});
