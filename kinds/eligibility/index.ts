import { clearDryRun } from '../../db/queries/eligibility-records';
import type { Kind } from '../kind';
import { applyEligibilityRows } from './apply-chunk';
import { isEligibilityFileName } from './files';
import { delimiterOf, eligibilityMappingSchema, resolveColumns, type EligibilityMapping } from './mapping';
import { ELIGIBILITY_REPORT, ELIGIBILITY_SUMMARY } from './report';
import { eligibilityRowReader, type EligibilityRow } from './row';
import { loadEligibilityMapping } from './settings';

/** Free/reduced meal eligibility files (RULES.md "Eligibility import"), read through the import's mapping. */
export const eligibilityKind: Kind<EligibilityMapping, EligibilityRow> = {
  name: 'eligibility',
  settingsFrom: 'mapping',
  settingsSchema: eligibilityMappingSchema,
  loadSettings: loadEligibilityMapping,
  takesFile: isEligibilityFileName,
  fileFormat: (mapping) => ({ delimiter: delimiterOf(mapping), encoding: mapping.encoding ?? 'utf8', hasHeader: mapping.hasHeader, blankLines: 'skip' }),
  checkHeader(mapping, header) {
    const columns = resolveColumns(mapping, header);
    return columns.ok ? null : columns.problem;
  },
  rowReader: eligibilityRowReader,
  applyRows: applyEligibilityRows,
  clearRun: clearDryRun,
  summary: ELIGIBILITY_SUMMARY,
  report: ELIGIBILITY_REPORT,
};
