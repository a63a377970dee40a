import type { RosterStudentWrite } from '../../db/queries/roster-students';
import { quoteValue, rowError, type Problem } from '../../domain/problems';
import type { Grade, OrderKind, RosterStatus, RosterStatusCode } from './codes';
import type { RosterRow, RosterRowResult } from './row';
import { decideStatus, type RosterOutcome } from './status-table';
import { summarizeRosterRows, type RosterRowOutcome, type RosterSummary } from './summary';

export interface RosterOrderState {
  id: string;
  kind: OrderKind;
  purchased: number;
  held: number;
}

/** What the roster knows of a student before a chunk applies. */
export interface RosterStudentState {
  studentNumber: string;
  /** The stored student's id; null when no student of the district has this number. */
  id: string | null;
  /** null: absent from the roster (unknown, or known only to eligibility). */
  status: RosterStatus | null;
  orderId: string | null;
  username: string | null;
}

/** A student as an applied row leaves it: the row's data, its new status and order; what the chunk writes. */
export type AppliedStudent = RosterStudentWrite;

/** Everything the rows of a chunk are decided against; the caller loads it for the chunk's students. */
export interface RosterWorld {
  /** All the district's orders, with their held counts. */
  orders: readonly RosterOrderState[];
  /** The students the chunk's rows name, by student number; a number missing here is absent. */
  students: ReadonlyMap<string, RosterStudentState>;
  /** Which of the rows' school codes exist in the district. */
  schoolCodes: ReadonlySet<string>;
  /** Each row username's case-folded key, as the database folds it (usernames are unique per district regardless of case). */
  usernameKeys: ReadonlyMap<string, string>;
  /** Who holds each of those keys now: key → student number. */
  usernameOwners: ReadonlyMap<string, string>;
  /** The first line of the file that names each student (this chunk's rows included). */
  firstLines: ReadonlyMap<string, number>;
}

/** One line of the report for an applied row. */
export interface RosterReportRecord {
  line: number;
  studentNumber: string;
  /** "Last, First", from the row. */
  name: string;
  statusCode: RosterStatusCode;
  outcome: RosterOutcome;
  orderBefore: string | null;
  orderAfter: string;
}

export interface RosterRowsResult {
  rows: RosterRowOutcome[];
  records: RosterReportRecord[];
  problems: Problem[];
  summary: RosterSummary;
  /** The final state of every student an applied row changed, to be written. */
  students: AppliedStudent[];
  /** Orders whose held count the chunk changed, with the new count. */
  orders: RosterOrderState[];
}

/**
 * Applies a chunk's rows in file order against the roster, in memory: each row sees what earlier rows
 * did, valid rows apply even when others fail, and licences are conserved (free + held = purchased).
 * After the structural checks, a row fails on the first of: DUPLICATE_ID, SCHOOL_ERR, the status
 * table's errors, DUPLICATE_USERNAME, MISSING_LICENSES.
 */
export function applyRosterRows(world: RosterWorld, results: readonly RosterRowResult[]): RosterRowsResult {
  const orders = new Map(world.orders.map((o) => [o.id, { ...o }]));
  const enterprise = world.orders.find((o) => o.kind === 'enterprise');
  const students = new Map(world.students);
  const owners = new Map(world.usernameOwners);
  // each student's keys, so a row finds the username it replaces without a scan of all owners
  const keysOf = new Map<string, Set<string>>();
  for (const [key, owner] of owners) keysOf.set(owner, (keysOf.get(owner) ?? new Set()).add(key));
  const applied = new Map<string, AppliedStudent>();
  const rows: RosterRowOutcome[] = [];
  const records: RosterReportRecord[] = [];
  const problems: Problem[] = [];

  const fail = (line: number, code: string, message: string) => {
    rows.push({ line, error: code });
    problems.push(rowError(line, code, message));
  };
  const keyOf = (username: string) => world.usernameKeys.get(username) ?? username.toLowerCase();

  const applyRow = (row: RosterRow): void => {
    const { line, studentNumber } = row;
    if (!world.schoolCodes.has(row.schoolCode)) return fail(line, 'SCHOOL_ERR', `School code ${quoteValue(row.schoolCode)} is not a school of the district.`);
    const before = students.get(studentNumber) ?? { studentNumber, id: null, status: null, orderId: null, username: null };
    const current = before.orderId === null ? undefined : orders.get(before.orderId);
    const decision = decideStatus(before.status ?? 'absent', row.statusCode, current?.kind === 'enterprise');
    if (decision.action === 'error') {
      const message =
        decision.code === 'STUDENT_EXISTS'
          ? `Student ${quoteValue(studentNumber)} already exists; status X creates a student.`
          : `No student ${quoteValue(studentNumber)} is on the roster; status ${row.statusCode} needs an existing student.`;
      return fail(line, decision.code, message);
    }
    if (row.username !== null) {
      const owner = owners.get(keyOf(row.username));
      if (owner !== undefined && owner !== studentNumber) return fail(line, 'DUPLICATE_USERNAME', `Username ${quoteValue(row.username)} belongs to another student of the district.`);
    }
    const target = decision.order === 'enterprise' ? enterprise : current;
    if (target === undefined) return fail(line, 'MISSING_LICENSES', 'The district has no enterprise order, so there is no holding bin to take licences from or associate students with.');

    // at most two orders change: the one the student leaves gets its licence back, the holding bin gives one;
    // nothing changes unless the row applies
    const returnsTo = decision.returnsLicence && current !== undefined ? orders.get(current.id)! : undefined;
    const takesFrom = decision.takesFromHoldingBin ? orders.get(target.id)! : undefined;
    if (takesFrom !== undefined && takesFrom.held - (returnsTo === takesFrom ? 1 : 0) + 1 > takesFrom.purchased) {
      return fail(line, 'MISSING_LICENSES', `No licence is left in the holding bin (the enterprise order's ${String(takesFrom.purchased)} are all held).`);
    }
    if (returnsTo !== undefined) returnsTo.held -= 1;
    if (takesFrom !== undefined) takesFrom.held += 1;

    for (const key of keysOf.get(studentNumber) ?? []) owners.delete(key);
    keysOf.delete(studentNumber);
    if (row.username !== null) {
      const key = keyOf(row.username);
      owners.set(key, studentNumber);
      keysOf.set(studentNumber, new Set([key]));
    }
    students.set(studentNumber, { studentNumber, id: before.id, status: decision.status, orderId: target.id, username: row.username });
    applied.set(studentNumber, {
      studentNumber,
      id: before.id,
      schoolCode: row.schoolCode,
      lastName: row.lastName,
      firstName: row.firstName,
      grade: row.grade,
      dateOfBirth: row.dateOfBirth,
      username: row.username,
      status: decision.status,
      orderId: target.id,
    });
    rows.push({ line, outcome: decision.outcome });
    records.push({ line, studentNumber, name: `${row.lastName}, ${row.firstName}`, statusCode: row.statusCode, outcome: decision.outcome, orderBefore: before.orderId, orderAfter: target.id });
  };

  for (const result of results) {
    const named = result.ok ? result.row.studentNumber : result.studentNumber;
    const first = named === null ? undefined : world.firstLines.get(named);
    if (named !== null && first !== undefined && first < result.line) {
      fail(result.line, 'DUPLICATE_ID', `Student ${quoteValue(named)} was already named on line ${String(first)}; only the first row for a student applies.`);
    } else if (!result.ok) {
      rows.push({ line: result.line, error: result.problem.code });
      problems.push(result.problem);
    } else {
      applyRow(result.row);
    }
  }

  return {
    rows,
    records,
    problems,
    summary: summarizeRosterRows(rows),
    students: [...applied.values()],
    orders: world.orders.filter((o) => orders.get(o.id)!.held !== o.held).map((o) => orders.get(o.id)!),
  };
}
