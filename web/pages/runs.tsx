import { Hono } from 'hono';
import { Scroll } from '../fields';
import { bytes, instant } from '../format';
import { CsrfField } from '../layout';
import { importPath, runPath } from '../paths';
import { redirectWithNotice, refusal, signedInPage, type WebEnv } from '../web-env';

const REPORT_PAGE_SIZE = 50;
const FINISHED = ['completed', 'failed', 'canceled'];

/** What the progress line shows, from GET /api/runs/:id's progress: bytes downloaded, rows staged, read and applied. */
function progressOf(run: any) {
  const { bytesRead, bytesTotal, rowsStaged, rowsRead, rowsApplied } = run.progress;
  return { status: run.status, rowsStaged, rowsRead, rowsApplied, bytesRead, size: bytesTotal, finished: FINISHED.includes(run.status) };
}

const progressText = (p: ReturnType<typeof progressOf>) =>
  `${p.status}: ${p.rowsRead} rows read, ${p.rowsApplied} applied; ${p.rowsStaged} rows and ${bytes(p.bytesRead)} of ${bytes(p.size)} downloaded`;

const columnsOf = (rows: Record<string, unknown>[]) => [...new Set(rows.flatMap((r) => Object.keys(r)))];
const cell = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

export const runPages = new Hono<WebEnv>()
  .get('/runs/:id', async (c) => {
    const id = c.req.param('id');
    const { api, csrf } = c.var.session;
    const run = await api.call('GET', `/api/runs/${encodeURIComponent(id)}`);
    if (!run.ok) return refusal(c, run.error, run.status);
    const cursor = c.req.query('cursor');
    const report = FINISHED.includes(run.body.status)
      ? await api.call('GET', `/api/runs/${encodeURIComponent(id)}/report?limit=${REPORT_PAGE_SIZE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
      : undefined;
    const r = run.body;
    const progress = progressOf(r);
    const title = `${r.mode === 'test' ? 'Test Import' : 'Run'} of ${r.importName ?? 'an import'}`;
    return signedInPage(
      c,
      title,
      <>
        <p class="no-print">
          <a href={importPath(r.importId)}>Back to the import</a>
        </p>
        <section class="card" aria-labelledby="run-heading">
          <h2 id="run-heading">Run</h2>
          <p id="progress" role="status" aria-live="polite" data-poll={progress.finished ? undefined : `${runPath(id)}/progress`}>
            {progressText(progress)}
          </p>
          <dl class="facts">
            <dt>Mode</dt><dd>{r.mode === 'test' ? 'Test Import (changes nothing)' : 'Run'}</dd>
            <dt>Trigger</dt><dd>{r.trigger}</dd>
            <dt>Started</dt><dd>{instant(r.startedAt)}</dd>
            <dt>Finished</dt><dd>{instant(r.finishedAt)}</dd>
            {r.error && <><dt>Error</dt><dd><strong>{r.error.code}</strong>: {r.error.message}</dd></>}
            {r.afterRun && (
              <>
                <dt>Error file</dt><dd>{r.afterRun.errorFile ?? 'none'}</dd>
                <dt>E-mail</dt><dd>{r.afterRun.email}</dd>
                {r.afterRun.problems.map((p: { code: string; message: string }) => (
                  <><dt>After the run</dt><dd><strong>{p.code}</strong>: {p.message}</dd></>
                ))}
              </>
            )}
          </dl>
          {!progress.finished && c.var.session.rights.includes('imports.run') && (
            <form method="post" action={`${runPath(id)}/cancel`} class="no-print">
              <CsrfField token={csrf} />
              <button type="submit">Cancel run</button>
            </form>
          )}
          {r.files.length > 0 && (
            <Scroll label="Files table">
              <table id="files">
                <caption>Files</caption>
                <thead><tr><th scope="col">File</th><th scope="col">Renamed to</th><th scope="col">Rows</th><th scope="col">Size</th><th scope="col">Status</th></tr></thead>
                <tbody>
                  {r.files.map((f: any) => (
                    <tr><td>{f.name}</td><td>{f.renamedTo ?? '—'}</td><td>{f.rows ?? '—'}</td><td>{bytes(f.size)}</td><td>{f.status}</td></tr>
                  ))}
                </tbody>
              </table>
            </Scroll>
          )}
        </section>
        {report && !report.ok && <p class="error-summary" role="alert">{report.error.message}</p>}
        {report?.ok && <Report id={id} report={report.body} />}
      </>,
    );
  })
  .get('/runs/:id/progress', async (c) => {
    const run = await c.var.session.api.call('GET', `/api/runs/${encodeURIComponent(c.req.param('id'))}`);
    if (!run.ok) return c.json({ error: run.error.code }, run.status === 404 ? 404 : 400);
    const progress = progressOf(run.body);
    return c.json({ ...progress, text: progressText(progress) });
  })
  .get('/runs/:id/report.csv', async (c) => {
    const id = c.req.param('id');
    const res = await c.var.session.api.raw('GET', `/api/runs/${encodeURIComponent(id)}/report`, { accept: 'text/csv' });
    if (!res.ok) return c.text('The report cannot be downloaded.', res.status === 404 ? 404 : 400);
    return new Response(res.body, {
      status: 200,
      headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="report-${id.replace(/[^A-Za-z0-9-]/g, '')}.csv"` },
    });
  })
  .post('/runs/:id/cancel', async (c) => {
    const id = c.req.param('id');
    const canceled = await c.var.session.api.call('POST', `/api/runs/${encodeURIComponent(id)}/cancel`);
    if (!canceled.ok) return refusal(c, canceled.error, canceled.status);
    return redirectWithNotice(c, runPath(id), 'Cancel requested; the run keeps the chunks it committed.');
  });

function Report(props: { id: string; report: { summary: Record<string, number> | null; records: any[]; problems: any[]; next: string | null } }) {
  const { summary, records, problems, next } = props.report;
  const recordColumns = columnsOf(records);
  return (
    <section class="card report" aria-labelledby="report-heading">
      <h2 id="report-heading">Report</h2>
      <p class="no-print actions">
        <a href={`${runPath(props.id)}/report.csv`} download>Download CSV</a>
        <button type="button" data-print>Print</button>
      </p>
      {summary && (
        <dl class="summary">
          {Object.entries(summary).map(([k, v]) => (
            <div><dt>{k}</dt><dd>{v}</dd></div>
          ))}
        </dl>
      )}
      <h3>Problems</h3>
      {problems.length === 0 ? (
        <p>No problems on this page.</p>
      ) : (
        <Scroll label="Problems table">
          <table id="problems">
            <thead><tr><th scope="col">File</th><th scope="col">Line</th><th scope="col">Severity</th><th scope="col">Code</th><th scope="col">Message</th></tr></thead>
            <tbody>
              {problems.map((p) => (
                <tr><td>{p.file ?? ''}</td><td>{p.line ?? ''}</td><td>{p.severity}</td><td>{p.code}</td><td>{p.message}</td></tr>
              ))}
            </tbody>
          </table>
        </Scroll>
      )}
      <h3>Records</h3>
      {records.length === 0 ? (
        <p>No records on this page.</p>
      ) : (
        <Scroll label="Records table">
          <table id="records">
            <thead><tr>{recordColumns.map((k) => <th scope="col">{k}</th>)}</tr></thead>
            <tbody>
              {records.map((rec) => (
                <tr>{recordColumns.map((k) => <td>{cell(rec[k])}</td>)}</tr>
              ))}
            </tbody>
          </table>
        </Scroll>
      )}
      {next && (
        <p class="no-print">
          <a href={`${runPath(props.id)}?cursor=${encodeURIComponent(next)}`} rel="next">Next page of the report</a>
        </p>
      )}
    </section>
  );
}
