import { clearRosterDryRun } from '../../db/queries/roster-dry-run';
import { clearRosterFileStudents } from '../../db/queries/roster-file-students';
import type { Queryable } from '../../db/queries/queryable';
import type { FileFormat, Kind } from '../kind';
import { applyRosterRowsChunk } from './apply-chunk';
import { rosterErrorFile } from './error-file';
import { isRosterFileName } from './files';
import { checkRosterHeader } from './header';
import { ROSTER_REPORT, ROSTER_SUMMARY } from './report';
import type { RosterStagedRow } from './row';
import { rosterSettingsSchema, type RosterSettings } from './settings';

/** Blank lines inside the file are rows (BLANK_LINE); the pipeline drops those at its end. */
const ROSTER_FILE_FORMAT: FileFormat = { delimiter: ',', encoding: 'utf8', hasHeader: true, blankLines: 'stage' };

/**
 * A row's own errors rank below DUPLICATE_ID, which needs the file's earlier rows: every row is handed
 * on as read and checked in the chunk (parseRosterRow in applyRosterChunk).
 */
function readRosterFields(fields: readonly string[], line: number) {
  return { ok: true as const, row: { line, fields: [...fields], problemCode: null, problemMessage: null } };
}

async function clearRosterRun(db: Queryable, runId: string): Promise<void> {
  await clearRosterDryRun(db, runId);
  await clearRosterFileStudents(db, runId);
}

/** The nightly student roster (RULES.md "Student roster import"): `students.csv`, status codes, licences. */
export const studentsKind: Kind<RosterSettings, RosterStagedRow> = {
  name: 'students',
  settingsFrom: 'none',
  settingsSchema: rosterSettingsSchema,
  loadSettings: async () => ({}),
  takesFile: isRosterFileName,
  fileFormat: () => ROSTER_FILE_FORMAT,
  checkHeader(_settings, header) {
    const check = checkRosterHeader(header);
    return check.ok ? null : check.problem;
  },
  rowReader: () => readRosterFields,
  applyRows: applyRosterRowsChunk,
  clearRun: clearRosterRun,
  summary: ROSTER_SUMMARY,
  report: ROSTER_REPORT,
  errorFile: rosterErrorFile,
};
