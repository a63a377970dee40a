import { withTransaction, type Db } from '../db/pool';
import { findDistrict } from '../db/queries/districts';
import { listScheduledImportIds, lockImport } from '../db/queries/imports';
import { describeError } from '../runtime/describe-error';
import type { ScheduleManager } from './import-schedules';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * Writes every scheduled import's Temporal Schedule again from the import, as a save does: the
 * daylight-saving days a spec writes out (domain/schedule-spec.ts) move forward with the calendar, a
 * zone's changed rules take effect, and a schedule under an earlier build's id moves to the current
 * id. Each import's row is locked while its schedule is written, so a save at the same moment waits
 * instead of being overwritten with older settings. `stopped` ends the refresh between two imports.
 */
export async function refreshImportSchedules(db: Db, schedules: ScheduleManager, stopped: () => boolean = () => false): Promise<{ refreshed: number; failed: number; firstError?: unknown }> {
  let refreshed = 0;
  let failed = 0;
  let firstError: unknown;
  for (const id of await listScheduledImportIds(db)) {
    if (stopped()) break;
    try {
      await withTransaction(db, async (tx) => {
        const imp = await lockImport(tx, id);
        // deleted, or its schedule removed, since the list was read
        if (!imp?.schedule) return;
        const district = (await findDistrict(tx, imp.districtId))!;
        await schedules.sync(district, imp, imp);
      });
      refreshed++;
    } catch (error) {
      failed++;
      firstError ??= error;
    }
  }
  return { refreshed, failed, firstError };
}

/** Refreshes now and then every 24 hours (an hour after a refresh that left schedules behind) until stopped. */
export function startScheduleRefresh(db: Db, schedules: ScheduleManager, log: (line: string) => void): { stop(): Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const refresh = () => {
    running = refreshImportSchedules(db, schedules, () => stopped).then(
      ({ refreshed, failed, firstError }) => {
        if (failed) log(`Schedule refresh: ${failed} of ${refreshed + failed} import schedules were not written; trying again in an hour. The first failure: ${describeError(firstError)}`);
        return failed ? HOUR_MS : DAY_MS;
      },
      (error: unknown) => {
        log(`Schedule refresh failed; trying again in an hour: ${describeError(error)}`);
        return HOUR_MS;
      },
    ).then((delay) => {
      if (!stopped) timer = setTimeout(refresh, delay).unref();
    });
  };
  refresh();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
