import { countActiveRuns, lockDistrictRunCount } from '../db/queries/runs';
import type { Queryable } from '../db/queries/queryable';

export class DistrictRunCapError extends Error {
  override readonly name = 'DistrictRunCapError';
  constructor(readonly cap: number) {
    super(`The district already has ${cap} runs queued or running, the most it may have at once.`);
  }
}

/**
 * Called after the new run is inserted, in its transaction: the count under the district's lock
 * includes it and every run admitted before (their transactions have committed by the time the lock
 * is ours), so two starts at once cannot both take the last place. Throws DistrictRunCapError,
 * rolling the insert back, when the district is over `cap`.
 */
export async function enforceDistrictRunCap(tx: Queryable, districtId: string, cap: number): Promise<void> {
  await lockDistrictRunCount(tx, districtId);
  if ((await countActiveRuns(tx, districtId)) > cap) throw new DistrictRunCapError(cap);
}
