import type { PagedProblem, PagedReportRecord, ProblemKey, RecordKey } from '../../db/queries/reports';
import type { ReportSource } from '../../api/report-source';

/** A report of `records` records over `files` files and `problems` problems (every fifth one the run's own), in report order. */
export function fakeReport(shape: { records: number; problems: number; files?: number }): { records: PagedReportRecord[]; problems: PagedProblem[] } {
  const files = shape.files ?? 3;
  const records: PagedReportRecord[] = [];
  let inFile = 0;
  for (let i = 0; i < shape.records; i++) {
    const ordinal = Math.floor((i * files) / shape.records);
    if (i > 0 && ordinal !== records[i - 1]!.ordinal) inFile = 0;
    // two records a line, as an Ended record and its New one share a line
    const line = 2 + Math.floor(inFile / 2);
    records.push({ ordinal, file: `IC_Eligibility_${ordinal}.csv`, line, ord: inFile % 2, student: `S${i}`, status: 'New', data: { name: `L${i}, F` } });
    inFile++;
  }
  const problems: PagedProblem[] = Array.from({ length: shape.problems }, (_, i) => {
    const runLevel = i % 5 === 0;
    return {
      ordinal: runLevel ? -1 : i % files,
      id: String(i + 1),
      file: `IC_Eligibility_${runLevel ? 'x' : i % files}.csv`,
      line: runLevel ? null : 2 + (i % 7),
      severity: 'error',
      code: 'STUDENT_NOT_FOUND',
      message: `problem ${i}`,
    };
  });
  problems.sort((a, b) => compare(problemTuple(a), problemTuple(b)));
  return { records, problems };
}

const recordTuple = (k: RecordKey): bigint[] => [BigInt(k.ordinal), BigInt(k.line), BigInt(k.ord)];
const problemTuple = (p: PagedProblem): bigint[] => [BigInt(p.ordinal), BigInt(p.line ?? 0), BigInt(p.id)];
const keyTuple = (k: ProblemKey): bigint[] => [BigInt(k.ordinal), BigInt(k.line), BigInt(k.id)];

function compare(a: bigint[], b: bigint[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return 0;
}

/** A ReportSource over arrays with the database's key order; `served` counts the rows it has handed out. */
export function fakeReportSource(report: { records: PagedReportRecord[]; problems: PagedProblem[] }): ReportSource & { served: number } {
  const source = {
    served: 0,
    async records(after: RecordKey | null, limit: number) {
      const rows = report.records.filter((r) => after === null || compare(recordTuple(r), recordTuple(after)) > 0).slice(0, limit);
      source.served += rows.length;
      return rows;
    },
    async problems(after: ProblemKey | null, limit: number) {
      const rows = report.problems.filter((p) => after === null || compare(problemTuple(p), keyTuple(after)) > 0).slice(0, limit);
      source.served += rows.length;
      return rows;
    },
  };
  return source;
}
