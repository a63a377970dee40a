import { Hono, type Context } from 'hono';
import { listRunFiles } from '../../db/queries/run-files';
import { findDistrictRun, isFinalRunStatus, listRuns, type StoredRun } from '../../db/queries/runs';
import { loadProblems, loadReportRecords, summarizeRun } from '../../db/queries/reports';
import { kindOf } from '../../kinds';
import { districtOf, isUuid, requireRight } from '../auth';
import { cancelRun } from '../cancel-run';
import { ApiError, notFound, parseWith } from '../errors';
import type { AppEnv } from '../env';
import { presentRecord, reportCsv } from '../present-report';
import { presentRun } from '../present-run';
import { runsQuery } from '../schemas';

async function loadRun(c: Context<AppEnv>): Promise<StoredRun> {
  const districtId = await districtOf(c);
  const id = c.req.param('runId') ?? '';
  const run = isUuid(id) ? await findDistrictRun(c.var.deps.db, districtId, id) : undefined;
  if (!run) throw notFound('Run');
  return run;
}

const alreadyEnded = (run: StoredRun) => new ApiError(409, 'RUN_ENDED', `The run has already ended (${run.status}); there is nothing to cancel.`);

export const runRoutes = new Hono<AppEnv>()
  .get('/', async (c) => {
    requireRight(c, 'reports.read');
    const districtId = await districtOf(c);
    const query = parseWith(runsQuery, c.req.query());
    const runs = await listRuns(c.var.deps.db, districtId, query);
    return c.json(runs.map((r) => presentRun(r)));
  })
  .get('/:runId', async (c) => {
    requireRight(c, 'reports.read');
    const run = await loadRun(c);
    return c.json(presentRun(run, await listRunFiles(c.var.deps.db, run.id)));
  })
  .get('/:runId/report', async (c) => {
    requireRight(c, 'reports.read');
    const run = await loadRun(c);
    const db = c.var.deps.db;
    const kind = kindOf(run.kind);
    const [summary, records, problems] = await Promise.all([summarizeRun(db, run.id, kind.summary), loadReportRecords(db, run.id), loadProblems(db, run.id)]);
    if ((c.req.header('accept') ?? '').includes('text/csv')) {
      c.header('content-type', 'text/csv; charset=utf-8');
      c.header('content-disposition', `attachment; filename="run-${run.id}-report.csv"`);
      return c.body(reportCsv(kind, records, problems));
    }
    return c.json({ runId: run.id, mode: run.mode, status: run.status, summary, records: records.map((r) => presentRecord(kind, r)), problems });
  })
  .post('/:runId/cancel', async (c) => {
    requireRight(c, 'imports.run');
    const run = await loadRun(c);
    if (isFinalRunStatus(run.status)) throw alreadyEnded(run);
    if (!(await cancelRun(c.var.deps, run))) {
      const now = (await findDistrictRun(c.var.deps.db, run.districtId, run.id))!;
      if (isFinalRunStatus(now.status)) throw alreadyEnded(now);
      // the batch run started meanwhile: its workflow cancels it
      await cancelRun(c.var.deps, now);
    }
    return c.json(presentRun((await findDistrictRun(c.var.deps.db, run.districtId, run.id))!), 202);
  });
