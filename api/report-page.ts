import type { PagedProblem, PagedReportRecord } from '../db/queries/reports';
import type { ReportPosition } from './report-cursor';
import { problemKey, recordKey, type ReportSource } from './report-source';

export interface ReportPage {
  records: PagedReportRecord[];
  problems: PagedProblem[];
  /** Where the following page starts; null when this page holds the report's last item. */
  next: ReportPosition | null;
}

/**
 * Up to `limit` items from `from`: records and problems are one sequence, records first, so a
 * page may end the records and begin the problems. One item more than fits is read to know
 * whether another page follows, so `next` is null on the last page and no page is empty.
 */
export async function loadReportPage(source: ReportSource, from: ReportPosition, limit: number): Promise<ReportPage> {
  let records: PagedReportRecord[] = [];
  if (from.part === 'records') {
    records = await source.records(from.after, limit + 1);
    if (records.length > limit) {
      records = records.slice(0, limit);
      return { records, problems: [], next: { part: 'records', after: recordKey(records.at(-1)!) } };
    }
  }
  const room = limit - records.length;
  const after = from.part === 'problems' ? from.after : null;
  const problems = await source.problems(after, room + 1);
  if (problems.length <= room) return { records, problems, next: null };
  const page = problems.slice(0, room);
  const last = page.at(-1);
  return { records, problems: page, next: { part: 'problems', after: last ? problemKey(last) : after } };
}
