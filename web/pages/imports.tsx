import { Hono } from 'hono';
import { errorsByField, type ApiErrorBody } from '../api-client';
import { Scroll, type FieldState } from '../fields';
import { formFieldOf, formValues, formValuesFromImport, importBodyFromForm } from '../import-form';
import { IMPORT_FORM_FIELDS, ImportForm } from '../import-form-view';
import { describeSchedule, instant } from '../format';
import { localInstant } from '../local-time';
import { importPath, UI } from '../paths';
import { redirectWithNotice, refusal, signedInPage, type WebContext, type WebEnv } from '../web-env';
import { ImportDetail, type ConnectionResult } from './import-detail';

const IMPORTS_PER_PAGE = 25;

/** The API's details by form field, so each message sits beside its field. */
function fieldErrors(error: ApiErrorBody | undefined): Record<string, string> {
  const byField: Record<string, string> = {};
  for (const [field, message] of Object.entries(errorsByField(error))) byField[formFieldOf(field, IMPORT_FORM_FIELDS)] ??= message;
  return byField;
}

async function mappingsOf(c: WebContext): Promise<{ id: string; name: string }[]> {
  const res = await c.var.session.api.call<{ id: string; name: string }[]>('GET', '/api/mappings');
  return res.ok ? res.body : [];
}

/** The detail page of an import, with what the last action returned. */
async function renderImport(c: WebContext, id: string, extra: { connection?: ConnectionResult; form?: FieldState; error?: ApiErrorBody; batchError?: ApiErrorBody } = {}) {
  const { api } = c.var.session;
  const imp = await api.call(`GET`, `/api/imports/${encodeURIComponent(id)}`);
  if (!imp.ok) return refusal(c, imp.error, imp.status);
  const [runs, mappings, orders] = await Promise.all([
    api.call<any[]>('GET', `/api/runs?importId=${encodeURIComponent(id)}&limit=10`),
    mappingsOf(c),
    // a roster import takes licences from the district's orders: shown beside it
    imp.body.kind === 'students' ? api.call<any[]>('GET', '/api/orders') : undefined,
  ]);
  const form = extra.form ?? { values: formValuesFromImport(imp.body), errors: {} };
  return signedInPage(
    c,
    imp.body.name,
    <ImportDetail
      imp={imp.body}
      runs={runs.ok ? runs.body : []}
      orders={orders?.ok ? orders.body : undefined}
      mappings={mappings}
      csrf={c.var.session.csrf}
      rights={c.var.session.rights}
      form={form}
      formError={extra.error}
      connection={extra.connection}
      batchError={extra.batchError}
    />,
    extra.error || extra.batchError ? 422 : 200,
  );
}

export const importPages = new Hono<WebEnv>()
  .get('/', async (c) => {
    const { api } = c.var.session;
    const list = await api.call<any[]>('GET', '/api/imports');
    if (!list.ok) return refusal(c, list.error, list.status);
    // the list route gives the settings; next run and last run come with each import, one API request
    // each, so a page shows IMPORTS_PER_PAGE of them and stays within the key's request burst
    const pages = Math.max(1, Math.ceil(list.body.length / IMPORTS_PER_PAGE));
    const pageNumber = Math.min(pages, Math.max(1, Number.parseInt(c.req.query('page') ?? '1', 10) || 1));
    const shown = list.body.slice((pageNumber - 1) * IMPORTS_PER_PAGE, pageNumber * IMPORTS_PER_PAGE);
    const details = await Promise.all(shown.map((imp) => api.call('GET', `/api/imports/${imp.id}`)));
    const rows = details.map((d, i) => (d.ok ? d.body : shown[i]));
    return signedInPage(
      c,
      'Imports',
      <>
        <p>
          <a class="button" href={`${UI}/imports/new`}>New import</a>
        </p>
        {rows.length === 0 ? (
          <p>No imports yet.</p>
        ) : (
          <Scroll label="Imports table">
            <table>
              <caption class="visually-hidden">Imports of this district</caption>
              <thead>
                <tr><th scope="col">Name</th><th scope="col">Kind</th><th scope="col">Protocol</th><th scope="col">Schedule</th><th scope="col">Next run</th><th scope="col">Last run</th></tr>
              </thead>
              <tbody>
                {rows.map((imp) => (
                  <tr>
                    <th scope="row"><a href={importPath(imp.id)}>{imp.name}</a>{imp.active ? '' : ' (inactive)'}</th>
                    <td>{imp.kind}</td>
                    <td>{imp.connection.protocol.toUpperCase()}</td>
                    <td>{describeSchedule(imp.schedule)}</td>
                    <td>{instant(imp.nextRuns?.[0])}</td>
                    <td>{imp.lastRun ? <a href={`${UI}/runs/${imp.lastRun.id}`}><span class={`status ${imp.lastRun.status}`}>{imp.lastRun.status}</span></a> : 'never run'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Scroll>
        )}
        {pages > 1 && (
          <nav aria-label="Pages of imports" class="actions">
            {pageNumber > 1 && <a href={`${UI}/?page=${pageNumber - 1}`} rel="prev">Previous page</a>}
            <span>{`Page ${pageNumber} of ${pages}`}</span>
            {pageNumber < pages && <a href={`${UI}/?page=${pageNumber + 1}`} rel="next">Next page</a>}
          </nav>
        )}
      </>,
    );
  })
  .get('/imports/new', async (c) => {
    const state: FieldState = { values: { active: 'on', kind: 'eligibility', 'connection.protocol': 'sftp', 'connection.ftpsMode': 'implicit', 'connection.smbSecurity': 'required' }, errors: {} };
    return signedInPage(c, 'New import', <ImportForm action={`${UI}/imports`} mode="create" state={state} csrf={c.var.session.csrf} mappings={await mappingsOf(c)} />);
  })
  .post('/imports', async (c) => {
    const values = formValues(await c.req.parseBody());
    const created = await c.var.session.api.call('POST', '/api/imports', importBodyFromForm(values, 'create'));
    if (created.ok) return redirectWithNotice(c, importPath(created.body.id), 'Import created. Test its connection next.');
    if (created.status !== 422 && created.status !== 400) return refusal(c, created.error, created.status);
    const state = { values: { ...values, 'connection.password': '', 'connection.privateKey': '', 'connection.passphrase': '' }, errors: fieldErrors(created.error) };
    return signedInPage(
      c,
      'New import',
      <ImportForm action={`${UI}/imports`} mode="create" state={state} csrf={c.var.session.csrf} mappings={await mappingsOf(c)} error={created.error} />,
      422,
    );
  })
  .get('/imports/:id', (c) => renderImport(c, c.req.param('id')))
  .post('/imports/:id', async (c) => {
    const id = c.req.param('id');
    const values = formValues(await c.req.parseBody());
    const saved = await c.var.session.api.call('PATCH', `/api/imports/${encodeURIComponent(id)}`, importBodyFromForm(values, 'edit'));
    if (saved.ok) return redirectWithNotice(c, importPath(id), 'Saved.');
    if (saved.status !== 422 && saved.status !== 400) return refusal(c, saved.error, saved.status);
    const kept = { ...values, 'connection.password': '', 'connection.privateKey': '', 'connection.passphrase': '' };
    return renderImport(c, id, { form: { values: kept, errors: fieldErrors(saved.error) }, error: saved.error });
  })
  .post('/imports/:id/delete', async (c) => {
    const deleted = await c.var.session.api.call('DELETE', `/api/imports/${encodeURIComponent(c.req.param('id'))}`);
    if (!deleted.ok) return refusal(c, deleted.error, deleted.status);
    return redirectWithNotice(c, `${UI}/`, 'Import deleted.');
  })
  .post('/imports/:id/test-connection', async (c) => {
    const id = c.req.param('id');
    const tested = await c.var.session.api.call('POST', `/api/imports/${encodeURIComponent(id)}/test-connection`);
    if (!tested.ok) return refusal(c, tested.error, tested.status);
    return renderImport(c, id, { connection: tested.body });
  })
  .post('/imports/:id/trust', async (c) => {
    const id = c.req.param('id');
    const form = formValues(await c.req.parseBody());
    const trust = { sha256: form.sha256 ?? '', ...(form.keyType ? { keyType: form.keyType } : {}) };
    const saved = await c.var.session.api.call('PATCH', `/api/imports/${encodeURIComponent(id)}`, { connection: { trust } });
    if (!saved.ok) return refusal(c, saved.error, saved.status);
    return redirectWithNotice(c, importPath(id), `Fingerprint ${trust.sha256} pinned. Test the connection again to list the files.`);
  })
  .post('/imports/:id/:mode{test|run}', async (c) => {
    const id = c.req.param('id');
    const started = await c.var.session.api.call('POST', `/api/imports/${encodeURIComponent(id)}/${c.req.param('mode')}`);
    if (!started.ok) return refusal(c, started.error, started.status);
    return c.redirect(`${UI}/runs/${encodeURIComponent(started.body.runId)}`, 303);
  })
  .post('/imports/:id/batch', async (c) => {
    const id = c.req.param('id');
    const form = formValues(await c.req.parseBody());
    const body = {
      startAt: localInstant(form.startAt ?? '', form.tzOffsetMinutes ?? '') ?? new Date().toISOString(),
      ...(form.highPriority === 'on' ? { highPriority: true } : {}),
      ...(form.keepUntilDeleted === 'on' ? { keepUntilDeleted: true } : {}),
    };
    const submitted = await c.var.session.api.call('POST', `/api/imports/${encodeURIComponent(id)}/batch`, body);
    if (submitted.ok) return redirectWithNotice(c, `${UI}/batch-queue`, `Submitted to the batch queue for ${instant(body.startAt)}.`);
    if (submitted.status === 422 || submitted.status === 400) return renderImport(c, id, { batchError: submitted.error });
    return refusal(c, submitted.error, submitted.status);
  });
