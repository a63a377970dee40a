import { csvLine } from '../../domain/csv';
import { loadFailingRows } from '../../db/queries/reports';
import type { ErrorFileContext, KindFile } from '../kind';
import { rosterErrorFileName } from './files';
import { ROSTER_HEADER } from './header';
import type { RosterSettings } from './settings';

const BOM = '\uFEFF';

/**
 * RULES.md's error file: each failing row as `line,code,message`, then the row's fields as the file had
 * them (none for a row that could not be read). UTF-8 with a BOM, so spreadsheets read names correctly.
 */
export async function rosterErrorFile({ run, db }: ErrorFileContext<RosterSettings>): Promise<KindFile | null> {
  const rows = await loadFailingRows(db, run.id);
  if (rows.length === 0) return null;
  let text = BOM + csvLine(['line', 'code', 'message', ...ROSTER_HEADER]);
  for (const row of rows) text += csvLine([row.line, row.code, row.message, ...(row.fields ?? [])]);
  return { name: rosterErrorFileName(run.finishedAt), content: Buffer.from(text, 'utf8') };
}
