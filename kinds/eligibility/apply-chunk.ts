import type { DbClient } from '../../db/pool';
import { loadStudentRecords, writeRecordChanges, type RecordChanges, type StoredEligibilityRecord } from '../../db/queries/eligibility-records';
import { findStudentsByIdentifier, type MatchedStudent } from '../../db/queries/students';
import { rowError, rowWarning, type Problem } from '../../domain/problems';
import { uuidV7 } from '../../domain/uuid-v7';
import type { AppliedRows, ReportRecord, RowsChunk } from '../kind';
import { applyDecision, decideEligibilityRow, reportRecordsOf, sameRecordValues, type EligibilityRecord } from './apply';
import type { EligibilityMapping } from './mapping';
import { eligibilityRecordData } from './report';
import type { EligibilityRow } from './row';

const studentYearKey = (studentId: string, schoolYear: number) => `${studentId}:${schoolYear}`;

function toDomain(r: StoredEligibilityRecord): EligibilityRecord {
  return {
    id: r.id,
    eligibility: r.eligibility as EligibilityRecord['eligibility'],
    certifiedType: r.certifiedType,
    startDate: r.startDate,
    endDate: r.endDate,
    applicationName: r.applicationName,
    referenceNumber: r.referenceNumber,
  };
}

/** What changed between the records a chunk loaded and the ones it ends with. */
function diff(before: Map<string, StoredEligibilityRecord>, after: Map<string, { studentId: string; schoolYear: number; records: EligibilityRecord[] }>): RecordChanges {
  const changes: RecordChanges = { inserts: [], updates: [], deletes: [] };
  const kept = new Set<string>();
  for (const { studentId, schoolYear, records } of after.values()) {
    for (const record of records) {
      kept.add(record.id);
      const stored = { ...record, studentId, schoolYear };
      const old = before.get(record.id);
      if (!old) changes.inserts.push(stored);
      else if (!sameRecordValues(toDomain(old), record)) changes.updates.push(stored);
    }
  }
  for (const id of before.keys()) if (!kept.has(id)) changes.deletes.push(id);
  return changes;
}

/**
 * Applies one chunk's rows in the caller's transaction, in file order: each row sees what earlier
 * rows did. Writes the record changes; returns the report records and problems.
 */
export async function applyEligibilityRows(tx: DbClient, { scope, settings: mapping, rows, locked }: RowsChunk<EligibilityMapping, EligibilityRow>): Promise<AppliedRows> {
  const problems: Problem[] = [];
  // a real run locks the students it finds until it commits; a dry run writes only its own copy
  const students = await findStudentsByIdentifier(tx, scope.districtId, mapping.identifier, [...new Set(rows.map((r) => r.row.identifier))], { lock: scope.mode === 'run' });
  // a dry run's chunks share its copy of the records without locks, so they go one after another
  if (scope.mode === 'run') locked?.();
  const matched: { line: number; row: EligibilityRow; student: MatchedStudent }[] = [];
  for (const r of rows) {
    const student = students.get(r.row.identifier);
    if (student) matched.push({ line: r.line, row: r.row, student });
    else problems.push(rowError(r.line, 'STUDENT_NOT_FOUND', `No student of the district has ${mapping.identifier} ${JSON.stringify(r.row.identifier)}.`));
  }

  const loaded = await loadStudentRecords(tx, scope, [...new Set(matched.map((m) => m.student.id))]);
  const before = new Map(loaded.map((r) => [r.id, r]));
  const current = new Map<string, { studentId: string; schoolYear: number; records: EligibilityRecord[] }>();
  for (const r of loaded) {
    const key = studentYearKey(r.studentId, r.schoolYear);
    const entry = current.get(key) ?? { studentId: r.studentId, schoolYear: r.schoolYear, records: [] };
    entry.records.push(toDomain(r));
    current.set(key, entry);
  }

  const records: ReportRecord[] = [];
  for (const { line, row, student } of matched) {
    const key = studentYearKey(student.id, row.schoolYear);
    const entry = current.get(key) ?? { studentId: student.id, schoolYear: row.schoolYear, records: [] };
    const decision = decideEligibilityRow(entry.records, row);
    entry.records = applyDecision(entry.records, decision, decision.kind === 'insert' ? uuidV7() : '');
    current.set(key, entry);
    if (decision.warning) problems.push(rowWarning(line, decision.warning.code, decision.warning.message));
    const name = `${student.lastName}, ${student.firstName}`;
    const outcomes = reportRecordsOf(decision);
    for (let ord = 0; ord < outcomes.length; ord++) {
      const r = outcomes[ord]!;
      records.push({ line, ord, student: student.studentNumber, status: r.status, data: eligibilityRecordData(name, row.schoolYear, r) });
    }
  }

  await writeRecordChanges(tx, scope, diff(before, current));
  return { rowsApplied: matched.length, records, problems };
}
