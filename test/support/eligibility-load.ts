import { createHash } from 'node:crypto';

/**
 * A large, realistic eligibility file, row by row (never whole in memory): students who exist, mixed codes
 * and dates, ~1% bad rows (an unknown student, an unknown code, a date that is not a calendar date) and,
 * with `hits`, 20% of rows meeting a record loaded before by a preliminary file (Existing, Updated, Ended,
 * Removed as ../shared/RULES.md says). Header `ID,Status,Type,Start,End` (WORD_HEADER_MAPPING, school year 2026).
 */
export const LOAD_HEADER = 'ID,Status,Type,Start,End';

export type Outcome = 'New' | 'Existing' | 'Updated' | 'Ended' | 'Removed' | 'bad';

interface Fields {
  e: string;
  c: string;
  a: string;
  b: string;
}

export interface LoadRow {
  studentNumber: string;
  /** The row as it stands in the file. */
  line: string;
  /** What the row does to the student's records. */
  outcome: Outcome;
  /** The record the preliminary file gives the student; null when it has none. */
  prior: Fields | null;
  /** The student's records after the file is applied (MM/DD/YYYY dates; '' for an open end). */
  after: Fields[];
}

export const loadStudentNumber = (i: number) => `L${String(i).padStart(7, '0')}`;

const NEW_TYPES = ['D', 'C', 'I', 'DN', 'T'];
const mmdd = (month: number, day: number, year: number) => `${String(month).padStart(2, '0')}/${String(day).padStart(2, '0')}/${year}`;

/** Row `i` (from 0) of a file; `hits` makes 20% of rows meet a record of the preliminary file. */
export function loadRow(i: number, hits: boolean): LoadRow {
  const studentNumber = loadStudentNumber(i);
  const line = (sn: string, f: Fields) => `${sn},${f.e},${f.c},${f.a},${f.b}`;
  const slot = i % 100;
  if (slot === 99) {
    const which = Math.floor(i / 100) % 3;
    const good: Fields = { e: 'F', c: 'D', a: '08/01/2025', b: '' };
    if (which === 0) return { studentNumber, line: line(`X${i}`, good), outcome: 'bad', prior: null, after: [] };
    if (which === 1) return { studentNumber, line: line(studentNumber, { ...good, e: 'Q' }), outcome: 'bad', prior: null, after: [] };
    return { studentNumber, line: line(studentNumber, { ...good, a: '02/30/2026' }), outcome: 'bad', prior: null, after: [] };
  }
  if (hits && slot < 20) {
    switch (slot % 4) {
      case 0: {
        const same: Fields = { e: 'F', c: 'D', a: '08/01/2025', b: '' };
        return { studentNumber, line: line(studentNumber, same), outcome: 'Existing', prior: same, after: [same] };
      }
      case 1: {
        const row: Fields = { e: 'R', c: 'D', a: '09/01/2025', b: '06/30/2026' };
        return { studentNumber, line: line(studentNumber, row), outcome: 'Updated', prior: { e: 'R', c: 'C', a: '09/01/2025', b: '' }, after: [row] };
      }
      case 2: {
        const row: Fields = { e: 'F', c: 'D', a: '11/01/2025', b: '' };
        const prior: Fields = { e: 'S', c: 'I', a: '08/15/2025', b: '' };
        return { studentNumber, line: line(studentNumber, row), outcome: 'Ended', prior, after: [{ ...prior, b: '10/31/2025' }, row] };
      }
      default: {
        const row: Fields = { e: 'F', c: 'D', a: '10/01/2025', b: '' };
        return { studentNumber, line: line(studentNumber, row), outcome: 'Removed', prior: { e: 'R', c: 'I', a: '12/01/2025', b: '' }, after: [row] };
      }
    }
  }
  const month = 7 + (i % 6);
  const row: Fields = { e: 'FRS'[i % 3]!, c: NEW_TYPES[i % NEW_TYPES.length]!, a: mmdd(month, 1 + (i % 28), 2025), b: i % 2 === 0 ? '' : '06/30/2026' };
  return { studentNumber, line: line(studentNumber, row), outcome: 'New', prior: null, after: [row] };
}

/** The lines of the preliminary file for a file of `rows` rows with hits: the records its rows meet. */
export function* priorLines(rows: number): Generator<string> {
  for (let i = 0; i < rows; i++) {
    const { prior, studentNumber } = loadRow(i, true);
    if (prior) yield `${studentNumber},${prior.e},${prior.c},${prior.a},${prior.b}`;
  }
}

export function* loadLines(rows: number, hits: boolean): Generator<string> {
  for (let i = 0; i < rows; i++) yield loadRow(i, hits).line;
}

const isoDate = (mmddyyyy: string) => (mmddyyyy ? `${mmddyyyy.slice(6)}-${mmddyyyy.slice(0, 2)}-${mmddyyyy.slice(3, 5)}` : '');

/** The MD5 of every record the district must hold afterwards, as `recordsFingerprint` reads them from the database. */
export function expectedRecordsFingerprint(rows: number, hits: boolean): { records: number; md5: string } {
  const lines: string[] = [];
  for (let i = 0; i < rows; i++) {
    const row = loadRow(i, hits);
    for (const f of row.after) lines.push(`${row.studentNumber}|${f.e}|${f.c}|${isoDate(f.a)}|${isoDate(f.b)}`);
  }
  lines.sort();
  return { records: lines.length, md5: createHash('md5').update(lines.join('\n')).digest('hex') };
}
