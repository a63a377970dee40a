import type { StoredImport } from '../../db/queries/imports';
import { findMapping } from '../../db/queries/mappings';
import type { Queryable } from '../../db/queries/queryable';
import { KindSettingsError } from '../kind';
import type { EligibilityMapping } from './mapping';

/** An eligibility import's settings are its mapping. */
export async function loadEligibilityMapping(db: Queryable, imp: StoredImport): Promise<EligibilityMapping> {
  const mapping = imp.mappingId ? await findMapping(db, imp.districtId, imp.mappingId) : undefined;
  if (!mapping) throw new KindSettingsError('MAPPING_NOT_FOUND', `Import "${imp.name}" has no mapping.`);
  return mapping.definition;
}
