import type { DbClient } from '../../db/pool';
import { recordFileStudents } from '../../db/queries/roster-file-students';
import { findSchoolCodes } from '../../db/queries/schools';
import type { Problem } from '../../domain/problems';
import type { AppliedRows, RowsChunk } from '../kind';
import { applyRosterRows, type RosterReportRecord } from './apply-rows';
import { rosterReportRecord } from './report';
import { rosterStore } from './roster-store';
import { parseRosterRow, type RosterRowResult, type RosterStagedRow } from './row';
import type { RosterSettings } from './settings';
import type { RosterRowOutcome, RosterSummary } from './summary';

export interface RosterChunk {
  districtId: string;
  runId: string;
  runFileId: string;
  /** test: a dry run on the run's private copy; run: the real roster. */
  mode: 'test' | 'run';
  /** The chunk's staged rows in file order (rows are ordered by their line numbers, which is all this kind needs). */
  rows: RosterStagedRow[];
}

export interface RosterChunkResult {
  /** What became of each row, in file order. */
  outcomes: RosterRowOutcome[];
  /** One report line per applied row. */
  records: RosterReportRecord[];
  /** One error per failed row. */
  problems: Problem[];
  summary: RosterSummary;
  rowsApplied: number;
}

const unique = (values: string[]) => [...new Set(values)];

/**
 * Applies one chunk of a roster file in the caller's transaction, in file order. Real: locks the
 * district's orders, then the chunk's students (both in id order), writes students and held counts in
 * set statements. Dry: the same decisions on the run's private copy (clearRosterDryRun drops it).
 * The students the file has named so far are recorded in the same transaction (DUPLICATE_ID across
 * chunks). Report records and problems are returned for the caller to store with its ledger row.
 */
export async function applyRosterChunk(tx: DbClient, chunk: RosterChunk): Promise<RosterChunkResult> {
  const results: RosterRowResult[] = chunk.rows.map(parseRosterRow);
  const named = results.flatMap((r) => {
    const studentNumber = r.ok ? r.row.studentNumber : r.studentNumber;
    return studentNumber === null ? [] : [{ studentNumber, line: r.line }];
  });
  const firstLines = await recordFileStudents(tx, chunk.runFileId, named);

  const valid = results.flatMap((r) => (r.ok ? [r.row] : []));
  const store = rosterStore(tx, chunk);
  const orders = await store.orders();
  const students = await store.students(unique(valid.map((r) => r.studentNumber)));
  const schoolCodes = await findSchoolCodes(tx, chunk.districtId, unique(valid.map((r) => r.schoolCode)));
  const usernames = await store.usernameOwners(unique(valid.flatMap((r) => (r.username === null ? [] : [r.username]))));

  const applied = applyRosterRows(
    {
      orders,
      students: new Map(students.map((s) => [s.studentNumber, s])),
      schoolCodes,
      usernameKeys: usernames.keys,
      usernameOwners: usernames.owners,
      firstLines,
    },
    results,
  );
  await store.write(applied.students, applied.orders);
  return {
    outcomes: applied.rows,
    records: applied.records,
    problems: applied.problems,
    summary: applied.summary,
    rowsApplied: applied.records.length,
  };
}

/** applyRosterChunk behind the kind interface: the pipeline's chunk of staged rows in, report records out. */
export async function applyRosterRowsChunk(tx: DbClient, { scope, runFileId, rows }: RowsChunk<RosterSettings, RosterStagedRow>): Promise<AppliedRows> {
  const result = await applyRosterChunk(tx, { districtId: scope.districtId, runId: scope.runId, runFileId, mode: scope.mode, rows: rows.map((r) => r.row) });
  return { rowsApplied: result.rowsApplied, records: result.records.map(rosterReportRecord), problems: result.problems };
}
