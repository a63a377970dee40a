import type { District } from '../db/queries/districts';
import type { StoredImport } from '../db/queries/imports';
import { findLatestRun } from '../db/queries/runs';
import type { ApiDeps } from './env';
import { SchedulerUnavailableError } from './import-schedules';

const NEXT_RUNS = 5;

/**
 * What GET /api/imports/:id shows beside the import: the next times its schedule starts a run, read
 * from Temporal's own description of the schedule, and how its newest run stands. When Temporal does
 * not answer, the import is still shown, with `nextRuns: null` and a note saying why.
 */
export async function importStatusOf(deps: ApiDeps, district: District, imp: StoredImport) {
  const [next, lastRun] = await Promise.all([nextRunsOf(deps, district, imp), findLatestRun(deps.db, imp.id)]);
  return { ...next, lastRun: lastRun ?? null };
}

async function nextRunsOf(deps: ApiDeps, district: District, imp: StoredImport): Promise<{ nextRuns: string[] | null; nextRunsNote?: string }> {
  try {
    return { nextRuns: (await deps.schedules.nextRuns(district, imp, NEXT_RUNS)).map((at) => at.toISOString()) };
  } catch (error) {
    if (!(error instanceof SchedulerUnavailableError)) throw error;
    return { nextRuns: null, nextRunsNote: 'Temporal did not answer, so the next runs are not known now; /api/health says when it is back.' };
  }
}
