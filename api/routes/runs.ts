import { Hono, type Context } from 'hono';
import { listRunFiles } from '../../db/queries/run-files';
import { findDistrictRun, listRuns, type StoredRun } from '../../db/queries/runs';
import { loadProblems, loadReportRecords, summarizeEligibilityRun } from '../../db/queries/reports';
import { districtOf, isUuid, requireRight } from '../auth';
import { csvLine } from '../csv';
import { notFound, parseWith } from '../errors';
import type { AppEnv } from '../env';
import { presentRun } from '../present-run';
import { runsQuery } from '../schemas';

async function loadRun(c: Context<AppEnv>): Promise<StoredRun> {
  const districtId = await districtOf(c);
  const id = c.req.param('runId') ?? '';
  const run = isUuid(id) ? await findDistrictRun(c.var.deps.db, districtId, id) : undefined;
  if (!run) throw notFound('Run');
  return run;
}

const CSV_HEADER = ['type', 'file', 'line', 'name', 'studentNumber', 'schoolYear', 'startDate', 'endDate', 'eligibility', 'certifiedType', 'applicationName', 'referenceNumber', 'status', 'severity', 'code', 'message'];

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
    const [summary, records, problems] = await Promise.all([summarizeEligibilityRun(db, run.id), loadReportRecords(db, run.id), loadProblems(db, run.id)]);
    const reportRecords = records.map((r) => ({
      file: r.file,
      line: r.line,
      name: r.name,
      studentNumber: r.studentNumber,
      schoolYear: r.schoolYear,
      startDate: r.startDate,
      endDate: r.endDate,
      eligibility: r.eligibility,
      certifiedType: r.certifiedType,
      applicationName: r.applicationName,
      referenceNumber: r.referenceNumber,
      status: r.status,
    }));
    if ((c.req.header('accept') ?? '').includes('text/csv')) {
      let body = csvLine(CSV_HEADER);
      for (const r of reportRecords) {
        body += csvLine(['record', r.file, r.line, r.name, r.studentNumber, r.schoolYear, r.startDate, r.endDate, r.eligibility, r.certifiedType, r.applicationName, r.referenceNumber, r.status, '', '', '']);
      }
      for (const p of problems) body += csvLine(['problem', p.file, p.line, '', '', '', '', '', '', '', '', '', '', p.severity, p.code, p.message]);
      c.header('content-type', 'text/csv; charset=utf-8');
      c.header('content-disposition', `attachment; filename="run-${run.id}-report.csv"`);
      return c.body(body);
    }
    return c.json({ runId: run.id, mode: run.mode, status: run.status, summary, records: reportRecords, problems });
  });
