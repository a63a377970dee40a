import type { Context } from 'hono';
import { z } from 'zod';
import { listRunFiles } from '../../db/queries/run-files';
import { findDistrictRun, isFinalRunStatus, listRuns, type StoredRun } from '../../db/queries/runs';
import { summarizeRun } from '../../db/queries/reports';
import { kindOf, type Kind } from '../../kinds';
import { districtOf, isUuid, requireRight } from '../auth';
import { cancelRun } from '../cancel-run';
import { ApiError, notFound } from '../errors';
import type { AppEnv } from '../env';
import { presentProblem, presentRecord } from '../present-report';
import { orderedSummary, presentRun } from '../present-run';
import { encodeReportCursor, REPORT_START } from '../report-cursor';
import { reportCsvStream } from '../report-csv-stream';
import { loadReportPage } from '../report-page';
import { databaseReportSource } from '../report-source';
import { reportPageSchema, runSchema } from '../response-schemas';
import { defineRoute, json, newRouter, problem, readRouteQuery } from '../route-contract';
import { reply } from '../typed-reply';
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

const runParam = z.object({ runId: z.uuid() });

const listAll = {
  method: 'get',
  path: '/',
  summary: 'Runs, newest first',
  request: { query: runsQuery },
  responses: { 200: json('The runs (without their files)', z.array(runSchema)) },
} as const;

const getRun = {
  method: 'get',
  path: '/{runId}',
  summary: 'One run with files, progress, summary, error and what followed it (`afterRun`)',
  request: { params: runParam },
  responses: { 200: json('The run', runSchema) },
} as const;

const getReport = {
  method: 'get',
  path: '/{runId}/report',
  summary: 'The report, a page at a time; `Accept: text/csv` for every row as CSV, streamed',
  description:
    "One page: records (by file, then line), then problems (the run's own, then each file's by line), as one sequence, so a page may end the records and begin the problems. `next` is the cursor of the following page, `null` on the last; `summary` is always the whole run's. The summary's keys, the records' fields and the CSV columns are those of the run's kind (eligibility: `EligibilityRecord`; students: `RosterRecord`, one record per applied row). The CSV holds every record, then every problem, under one header; `limit` and `cursor` apply to pages only.",
  request: { params: runParam, query: reportQuery },
  responses: {
    200: {
      description: 'One page of the report, or (`Accept: text/csv`) all of it',
      content: { 'application/json': { schema: reportPageSchema }, 'text/csv': { schema: z.string() } },
    },
    422: problem('`VALIDATION_FAILED`: `limit` out of range, or a `cursor` this API did not give'),
  },
} as const;

const cancel = {
  method: 'post',
  path: '/{runId}/cancel',
  summary:
    'Cancel a queued or running run: it ends `canceled` after the chunk in flight, keeping the chunks it committed; its report has a `RUN_CANCELED` warning with what was applied, and files not processed stay in place, not renamed. A batch submission waiting for its start time is canceled at once',
  request: { params: runParam },
  responses: {
    202: json('Cancellation requested: the run as it stands (`status` turns `canceled` once the workflow has ended it)', runSchema),
    409: problem('`RUN_ENDED`: the run has already ended (completed, failed or canceled)'),
  },
} as const;

export const runRoutes = newRouter();

defineRoute(runRoutes, listAll, async (c) => {
  requireRight(c, 'reports.read');
  const districtId = await districtOf(c);
  const query = readRouteQuery(c, listAll);
  const runs = await listRuns(c.var.deps.db, districtId, query);
  return reply(c, listAll, 200, runs.map((r) => presentRun(r)));
});

defineRoute(runRoutes, getRun, async (c) => {
  requireRight(c, 'reports.read');
  const run = await loadRun(c);
  return reply(c, getRun, 200, presentRun(run, await listRunFiles(c.var.deps.db, run.id)));
});

defineRoute(runRoutes, getReport, async (c) => {
  requireRight(c, 'reports.read');
  const run = await loadRun(c);
  const query = readRouteQuery(c, getReport);
  const kind = kindOf(run.kind);
  const source = databaseReportSource(c.var.deps.db, run.id);
  if ((c.req.header('accept') ?? '').includes('text/csv')) {
    c.header('content-type', 'text/csv; charset=utf-8');
    c.header('content-disposition', `attachment; filename="run-${run.id}-report.csv"`);
    return c.body(reportCsvStream(kind, source));
  }
  const [summary, page] = await Promise.all([reportSummary(c, run, kind), loadReportPage(source, query.cursor ?? REPORT_START, query.limit)]);
  return reply(c, getReport, 200, {
    runId: run.id,
    mode: run.mode,
    status: run.status,
    summary,
    // the kind's own fields: one of the record schemas, which the contract tests check on real reports
    records: page.records.map((r) => presentRecord(kind, r)) as z.output<typeof reportPageSchema>['records'],
    problems: page.problems.map(presentProblem),
    next: page.next && encodeReportCursor(page.next),
  });
});

defineRoute(runRoutes, cancel, async (c) => {
  requireRight(c, 'imports.run');
  const run = await loadRun(c);
  if (isFinalRunStatus(run.status)) throw alreadyEnded(run);
  if (!(await cancelRun(c.var.deps, run))) {
    const now = (await findDistrictRun(c.var.deps.db, run.districtId, run.id))!;
    if (isFinalRunStatus(now.status)) throw alreadyEnded(now);
    // the batch run started meanwhile: its workflow cancels it
    await cancelRun(c.var.deps, now);
  }
  return reply(c, cancel, 202, presentRun((await findDistrictRun(c.var.deps.db, run.districtId, run.id))!));
});
