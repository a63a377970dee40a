import { Hono } from 'hono';
import { RIGHTS } from '../../security/api-keys';
import { errorsByField, type ApiErrorBody } from '../api-client';
import { ErrorSummary, Scroll, TextField, type FieldState } from '../fields';
import { instant } from '../format';
import { formValues } from '../import-form';
import { CsrfField } from '../layout';
import { localInstant } from '../local-time';
import { UI } from '../paths';
import { redirectWithNotice, refusal, signedInPage, type WebContext, type WebEnv } from '../web-env';

const keysPath = (districtId: string) => `${UI}/districts/${encodeURIComponent(districtId)}/keys`;

/** What each right lets a key do, as the README's rights table says it. */
const RIGHT_TEXT: Record<(typeof RIGHTS)[number], string> = {
  'imports.read': 'see imports, mappings, students, schools, orders and the batch queue',
  'imports.write': 'create, edit and delete imports, mappings, students, schools and orders',
  'imports.run': 'Test Connection, Test Import, Run, cancel runs',
  'reports.read': 'read runs and reports',
  'batch.submit': 'Submit to Batch, cancel and delete submissions',
  'batch.setPriority': 'Set Task Priority (High Priority)',
  'batch.setExpiration': 'Set Task Expiration (Keep Until I Delete)',
  'keys.manage': "issue and revoke the district's keys, read the audit log",
};

function DistrictForm(props: { csrf: string; state: FieldState; error?: ApiErrorBody }) {
  return (
    <form method="post" action={`${UI}/districts`} class="card" novalidate>
      <CsrfField token={props.csrf} />
      <h2>New district</h2>
      <ErrorSummary error={props.error} shown={Object.keys(props.state.errors)} />
      <TextField name="name" label="Name" state={props.state} />
      <TextField name="timeZone" label="Time zone" state={props.state} hint="IANA name, e.g. America/Chicago: schedules run in it." />
      <button type="submit">Create district</button>
    </form>
  );
}

function IssueKeyForm(props: { districtId: string; csrf: string; state: FieldState; error?: ApiErrorBody }) {
  const { state } = props;
  const rightsError = state.errors.rights;
  const expiresError = state.errors.expiresAt;
  return (
    <form method="post" action={keysPath(props.districtId)} class="card" novalidate>
      <CsrfField token={props.csrf} />
      <h2>Issue a key</h2>
      <ErrorSummary error={props.error} shown={Object.keys(state.errors)} />
      <TextField name="name" label="Name" state={state} hint="Who or what uses it, e.g. data team." />
      <fieldset aria-describedby={rightsError ? 'f-rights-error' : undefined}>
        <legend>Rights</legend>
        {rightsError && <span class="error" id="f-rights-error">{rightsError}</span>}
        {RIGHTS.map((right) => (
          <div class="field check">
            <input id={`f-right-${right}`} name={`right.${right}`} type="checkbox" value="on" checked={state.values[`right.${right}`] === 'on'} />
            <label for={`f-right-${right}`}>
              <code>{right}</code>: {RIGHT_TEXT[right]}
            </label>
          </div>
        ))}
      </fieldset>
      <input type="hidden" name="tzOffsetMinutes" value="" data-tz-offset />
      <div class={expiresError ? 'field invalid' : 'field'}>
        <label for="f-expiresAt">Expires at (optional)</label>
        <input id="f-expiresAt" name="expiresAt" type="datetime-local" value={state.values.expiresAt ?? ''} aria-invalid={expiresError ? 'true' : undefined} aria-describedby={expiresError ? 'f-expiresAt-error' : undefined} />
        {expiresError && <span class="error" id="f-expiresAt-error">{expiresError}</span>}
      </div>
      <button type="submit">Issue key</button>
    </form>
  );
}

async function renderKeys(c: WebContext, districtId: string, extra: { issued?: { key: string; name: string }; form?: FieldState; error?: ApiErrorBody } = {}) {
  const { api, csrf } = c.var.session;
  const keys = await api.call<any[]>('GET', `/api/districts/${encodeURIComponent(districtId)}/keys`);
  if (!keys.ok) return refusal(c, keys.error, keys.status);
  return signedInPage(
    c,
    'API keys',
    <>
      {extra.issued && (
        <section class="card issued" role="status" aria-labelledby="issued-heading">
          <h2 id="issued-heading">Key issued: {extra.issued.name}</h2>
          <p>Copy it now: it is shown once, and only its hash is kept.</p>
          <p><code class="fingerprint" id="issued-key">{extra.issued.key}</code></p>
        </section>
      )}
      <p>District <code>{districtId}</code></p>
      {keys.body.length === 0 ? <p>No keys yet.</p> : (
        <Scroll label="Keys table">
          <table id="keys">
            <thead><tr><th scope="col">Name</th><th scope="col">Rights</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col">Expires</th><th scope="col">Action</th></tr></thead>
            <tbody>
              {keys.body.map((k) => (
                <tr>
                  <th scope="row">{k.name}</th>
                  <td>{k.rights.join(', ') || 'none'}</td>
                  <td>{instant(k.createdAt)}</td>
                  <td>{instant(k.lastUsedAt)}</td>
                  <td>{instant(k.expiresAt)}</td>
                  <td>
                    <form method="post" action={`${keysPath(districtId)}/${encodeURIComponent(k.id)}/revoke`} data-confirm={`Revoke the key "${k.name}"? It stops working at once.`}>
                      <CsrfField token={csrf} />
                      <button type="submit" aria-label={`Revoke ${k.name}`}>Revoke</button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Scroll>
      )}
      <IssueKeyForm districtId={districtId} csrf={csrf} state={extra.form ?? { values: {}, errors: {} }} error={extra.error} />
    </>,
    extra.error ? 422 : 200,
  );
}

export const keyPages = new Hono<WebEnv>()
  .get('/districts', async (c) => {
    const own = c.var.session.districtId;
    if (own !== null) return c.redirect(keysPath(own), 303);
    return signedInPage(
      c,
      'Districts',
      <>
        <p>The platform admin key creates districts and issues their first keys. District admins then sign in with their own key.</p>
        <DistrictForm csrf={c.var.session.csrf} state={{ values: {}, errors: {} }} />
      </>,
    );
  })
  .post('/districts', async (c) => {
    const values = formValues(await c.req.parseBody());
    const created = await c.var.session.api.call('POST', '/api/districts', { name: values.name ?? '', timeZone: (values.timeZone ?? '').trim() });
    if (created.ok) return redirectWithNotice(c, keysPath(created.body.id), `District "${created.body.name}" created. Issue its first key.`);
    if (created.status !== 422 && created.status !== 400) return refusal(c, created.error, created.status);
    return signedInPage(c, 'Districts', <DistrictForm csrf={c.var.session.csrf} state={{ values, errors: errorsByField(created.error) }} error={created.error} />, 422);
  })
  .get('/districts/:id/keys', (c) => renderKeys(c, c.req.param('id')))
  .post('/districts/:id/keys', async (c) => {
    const districtId = c.req.param('id');
    const values = formValues(await c.req.parseBody());
    const expiresAt = localInstant(values.expiresAt ?? '', values.tzOffsetMinutes ?? '');
    const body = {
      name: values.name ?? '',
      rights: RIGHTS.filter((r) => values[`right.${r}`] === 'on'),
      ...(expiresAt ? { expiresAt } : {}),
    };
    const issued = await c.var.session.api.call('POST', `/api/districts/${encodeURIComponent(districtId)}/keys`, body);
    // shown in this answer only, never put in a URL
    if (issued.ok) return renderKeys(c, districtId, { issued: { key: issued.body.key, name: issued.body.name } });
    if (issued.status !== 422 && issued.status !== 400) return refusal(c, issued.error, issued.status);
    const errors: Record<string, string> = {};
    for (const [field, message] of Object.entries(errorsByField(issued.error))) errors[field.split('.')[0]!] ??= message;
    return renderKeys(c, districtId, { form: { values, errors }, error: issued.error });
  })
  .post('/districts/:id/keys/:keyId/revoke', async (c) => {
    const districtId = c.req.param('id');
    const revoked = await c.var.session.api.call('DELETE', `/api/districts/${encodeURIComponent(districtId)}/keys/${encodeURIComponent(c.req.param('keyId'))}`);
    if (!revoked.ok) return refusal(c, revoked.error, revoked.status);
    return redirectWithNotice(c, keysPath(districtId), 'Key revoked.');
  });
