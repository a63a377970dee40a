import { randomUUID } from 'node:crypto';
import type { DbClient } from '../../db/pool';
import { loadRecordsForUpdate, writeRecordChanges, type RecordChanges, type RecordScope, type StoredEligibilityRecord } from '../../db/queries/eligibility-records';
import { insertProblems, insertReportRecords, type ReportRecordRow } from '../../db/queries/reports';
import type { StagedRow } from '../../db/queries/staging';
import { findStudentsByIdentifier, type Student } from '../../db/queries/students';
import { applyDecision, decideEligibilityRow, reportRecordsOf, sameRecordValues, type EligibilityRecord } from './apply';
import { resolveColumns, type EligibilityMapping } from './mapping';
import { parseEligibilityRow, type EligibilityRow } from './row';
import { rowError, rowWarning, type Problem } from '../../domain/problems';

export interface EligibilityChunk {
  scope: RecordScope;
  runFileId: string;
  fileName: string;
  chunkIndex: number;
  header: string[] | null;
  mapping: EligibilityMapping;
  certifiedTypes: string[];
  rows: StagedRow[];
}

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
 * Applies one chunk of staged rows in the caller's transaction, in file order: each row sees what
 * earlier rows did. Writes record changes, report records and problems; returns how many rows applied.
 */
export async function applyEligibilityChunk(tx: DbClient, chunk: EligibilityChunk): Promise<{ rowsApplied: number }> {
  const problems: Problem[] = [];
  const columns = resolveColumns(chunk.mapping, chunk.header);
  if (!columns.ok) throw new Error('The header was accepted at staging but no longer resolves.');

  const valid: { line: number; row: EligibilityRow }[] = [];
  for (const staged of chunk.rows) {
    if (!staged.fields) {
      problems.push(rowError(staged.line, staged.problemCode ?? 'MALFORMED_ROW', staged.problemMessage ?? 'The row could not be read.'));
      continue;
    }
    const parsed = parseEligibilityRow(staged.fields, staged.line, { mapping: chunk.mapping, columns: columns.columns, expectedFieldCount: columns.expectedFieldCount, certifiedTypes: chunk.certifiedTypes });
    if (parsed.ok) valid.push({ line: staged.line, row: parsed.row });
    else problems.push(parsed.problem);
  }

  const districtId = chunk.scope.districtId;
  const students = await findStudentsByIdentifier(tx, districtId, chunk.mapping.identifier, [...new Set(valid.map((v) => v.row.identifier))]);
  const matched: { line: number; row: EligibilityRow; student: Student }[] = [];
  for (const v of valid) {
    const student = students.get(v.row.identifier);
    if (student) matched.push({ ...v, student });
    else problems.push(rowError(v.line, 'STUDENT_NOT_FOUND', `No student of the district has ${chunk.mapping.identifier} ${JSON.stringify(v.row.identifier)}.`));
  }

  const loaded = await loadRecordsForUpdate(tx, chunk.scope, [...new Set(matched.map((m) => m.student.id))]);
  const before = new Map(loaded.map((r) => [r.id, r]));
  const current = new Map<string, { studentId: string; schoolYear: number; records: EligibilityRecord[] }>();
  for (const r of loaded) {
    const key = studentYearKey(r.studentId, r.schoolYear);
    const entry = current.get(key) ?? { studentId: r.studentId, schoolYear: r.schoolYear, records: [] };
    entry.records.push(toDomain(r));
    current.set(key, entry);
  }

  const report: ReportRecordRow[] = [];
  for (const { line, row, student } of matched) {
    const key = studentYearKey(student.id, row.schoolYear);
    const entry = current.get(key) ?? { studentId: student.id, schoolYear: row.schoolYear, records: [] };
    const decision = decideEligibilityRow(entry.records, row);
    entry.records = applyDecision(entry.records, decision, randomUUID());
    current.set(key, entry);
    if (decision.warning) problems.push(rowWarning(line, decision.warning.code, decision.warning.message));
    reportRecordsOf(decision).forEach((r, ord) => {
      report.push({
        line,
        ord,
        studentNumber: student.studentNumber,
        name: `${student.lastName}, ${student.firstName}`,
        schoolYear: row.schoolYear,
        startDate: r.startDate,
        endDate: r.endDate,
        eligibility: r.eligibility,
        certifiedType: r.certifiedType,
        applicationName: r.applicationName,
        referenceNumber: r.referenceNumber,
        status: r.status,
      });
    });
  }

  await writeRecordChanges(tx, chunk.scope, diff(before, current));
  await insertReportRecords(tx, chunk.scope.runId, chunk.runFileId, report);
  await insertProblems(tx, chunk.scope.runId, chunk.runFileId, chunk.chunkIndex, problems.map((p) => ({ ...p, file: chunk.fileName })));
  return { rowsApplied: matched.length };
}
