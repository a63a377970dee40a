import { Hono, type Context } from 'hono';
import { listRunFiles } from '../../db/queries/run-files';
import { findDistrictRun, isFinalRunStatus, listRuns, type StoredRun } from '../../db/queries/runs';
import { summarizeRun } from '../../db/queries/reports';
import { kindOf, type Kind } from '../../kinds';
import { districtOf, isUuid, requireRight } from '../auth';
import { cancelRun } from '../cancel-run';
import { ApiError, notFound, parseWith } from '../errors';
import type { AppEnv } from '../env';
import { presentProblem, presentRecord } from '../present-report';
import { orderedSummary, presentRun } from '../present-run';
import { encodeReportCursor, REPORT_START } from '../report-cursor';
import { reportCsvStream } from '../report-csv-stream';
import { loadReportPage } from '../report-page';
import { databaseReportSource } from '../report-source';
import { reportQuery, runsQuery } from '../schemas';

async function loadRun(c: Context<AppEnv>): Promise<StoredRun> {
  const districtId = await districtOf(c);
  const id = c.req.param('runId') ?? '';
  const run = isUuid(id) ? await findDistrictRun(c.var.deps.db, districtId, id) : undefined;
  if (!run) throw notFound('Run');
  return run;
}

/** A finished run's summary was stored when it finished; counting again would cost every page a scan of the whole report. */
async function reportSummary(c: Context<AppEnv>, run: StoredRun, kind: Kind): Promise<Record<string, number>> {
  const keys = kind.summary.map((count) => count.key);
  return orderedSummary(run.summary, keys) ?? (await summarizeRun(c.var.deps.db, run.id, kind.summary));
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
    const query = parseWith(reportQuery, c.req.query());
    const kind = kindOf(run.kind);
    const source = databaseReportSource(c.var.deps.db, run.id);
    if ((c.req.header('accept') ?? '').includes('text/csv')) {
      c.header('content-type', 'text/csv; charset=utf-8');
      c.header('content-disposition', `attachment; filename="run-${run.id}-report.csv"`);
      return c.body(reportCsvStream(kind, source));
    }
    const [summary, page] = await Promise.all([reportSummary(c, run, kind), loadReportPage(source, query.cursor ?? REPORT_START, query.limit)]);
    return c.json({
      runId: run.id,
      mode: run.mode,
      status: run.status,
      summary,
      records: page.records.map((r) => presentRecord(kind, r)),
      problems: page.problems.map(presentProblem),
      next: page.next && encodeReportCursor(page.next),
    });
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
