import type { ProblemKey, RecordKey } from '../db/queries/reports';
import type { Kind } from '../kinds';
import { problemCsvLine, recordCsvLine, reportCsvHeader } from './present-report';
import { problemKey, recordKey, type ReportSource } from './report-source';

/** Rows read from the database for each piece of the CSV body. */
export const CSV_BATCH_ROWS = 1000;

/** The CSV text in pieces: the header, then one piece per batch of records, then of problems. */
async function* reportCsvPieces(kind: Kind, source: ReportSource, batchRows: number): AsyncGenerator<string> {
  yield reportCsvHeader(kind);
  let afterRecord: RecordKey | null = null;
  for (;;) {
    const records = await source.records(afterRecord, batchRows);
    if (records.length > 0) yield records.map((r) => recordCsvLine(kind, r)).join('');
    if (records.length < batchRows) break;
    afterRecord = recordKey(records.at(-1)!);
  }
  let afterProblem: ProblemKey | null = null;
  for (;;) {
    const problems = await source.problems(afterProblem, batchRows);
    if (problems.length > 0) yield problems.map((p) => problemCsvLine(kind, p)).join('');
    if (problems.length < batchRows) break;
    afterProblem = problemKey(problems.at(-1)!);
  }
}

/**
 * The whole report as a CSV body that reads the next batch only when the reader asks for more
 * (a high-water mark of 0: nothing is read ahead), so a report of any size costs one batch of memory.
 */
export function reportCsvStream(kind: Kind, source: ReportSource, batchRows = CSV_BATCH_ROWS): ReadableStream<Uint8Array> {
  const pieces = reportCsvPieces(kind, source, batchRows);
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const piece = await pieces.next();
        if (piece.done) controller.close();
        else controller.enqueue(encoder.encode(piece.value));
      },
      async cancel() {
        await pieces.return(undefined);
      },
    },
    { highWaterMark: 0 },
  );
}
