import { Hono } from 'hono';
import { errorsByField, type ApiErrorBody } from '../api-client';
import { ErrorSummary, SelectField, TextField, type FieldState } from '../fields';
import { formValues } from '../import-form';
import { CsrfField } from '../layout';
import { UI } from '../paths';
import { redirectWithNotice, refusal, signedInPage, type WebContext, type WebEnv } from '../web-env';

const EMPTY: FieldState = { values: {}, errors: {} };

async function renderRoster(c: WebContext, forms: { school?: FieldState; order?: FieldState; error?: ApiErrorBody } = {}) {
  const { api, csrf } = c.var.session;
  const [schools, orders] = await Promise.all([api.call<any[]>('GET', '/api/schools'), api.call<any[]>('GET', '/api/orders')]);
  if (!schools.ok) return refusal(c, schools.error, schools.status);
  if (!orders.ok) return refusal(c, orders.error, orders.status);
  const orderState = forms.order ?? { values: { kind: 'regular' }, errors: {} };
  return signedInPage(
    c,
    'Schools and orders',
    <>
      <ErrorSummary error={forms.error} shown={[...Object.keys(forms.school?.errors ?? {}), ...Object.keys(forms.order?.errors ?? {})]} />
      <section class="card" aria-labelledby="orders-heading">
        <h2 id="orders-heading">Orders and licences</h2>
        {orders.body.length === 0 ? <p>No orders yet.</p> : (
          <table id="orders">
            <thead><tr><th scope="col">Kind</th><th scope="col">School</th><th scope="col">Purchased</th><th scope="col">Held</th><th scope="col">Free</th></tr></thead>
            <tbody>
              {orders.body.map((o) => (
                <tr><td>{o.kind}</td><td>{o.schoolCode ?? '—'}</td><td>{o.purchased}</td><td>{o.held}</td><td>{o.free}</td></tr>
              ))}
            </tbody>
          </table>
        )}
        <form method="post" action={`${UI}/roster/orders`} novalidate>
          <CsrfField token={csrf} />
          <h3>Add an order</h3>
          <SelectField name="kind" label="Kind" state={orderState} options={[['regular', 'Regular (one school)'], ['enterprise', 'Enterprise (one per district)']]} />
          <TextField name="schoolCode" label="School code (regular orders)" state={orderState} />
          <TextField name="licenses" label="Licences" state={orderState} inputmode="numeric" />
          <button type="submit">Add order</button>
        </form>
      </section>
      <section class="card" aria-labelledby="schools-heading">
        <h2 id="schools-heading">Schools</h2>
        {schools.body.length === 0 ? <p>No schools yet.</p> : (
          <table id="schools">
            <thead><tr><th scope="col">Code</th><th scope="col">Name</th></tr></thead>
            <tbody>{schools.body.map((s) => <tr><td>{s.code}</td><td>{s.name}</td></tr>)}</tbody>
          </table>
        )}
        <form method="post" action={`${UI}/roster/schools`} novalidate>
          <CsrfField token={csrf} />
          <h3>Add a school</h3>
          <TextField name="code" label="Code" state={forms.school ?? EMPTY} hint="As the roster file's school_code column writes it." />
          <TextField name="name" label="Name" state={forms.school ?? EMPTY} />
          <button type="submit">Add school</button>
        </form>
      </section>
    </>,
    forms.error ? 422 : 200,
  );
}

export const rosterPages = new Hono<WebEnv>()
  .get('/roster', (c) => renderRoster(c))
  .post('/roster/schools', async (c) => {
    const values = formValues(await c.req.parseBody());
    const res = await c.var.session.api.call('POST', '/api/schools', { code: values.code ?? '', name: values.name ?? '' });
    if (res.ok) return redirectWithNotice(c, `${UI}/roster`, 'School added.');
    if (res.status >= 500 || res.status === 404 || res.status === 403 || res.status === 429) return refusal(c, res.error, res.status);
    return renderRoster(c, { school: { values, errors: errorsByField(res.error) }, error: res.error });
  })
  .post('/roster/orders', async (c) => {
    const values = formValues(await c.req.parseBody());
    const licences = (values.licenses ?? '').trim();
    const body = {
      kind: values.kind,
      ...(values.kind === 'regular' || (values.schoolCode ?? '').trim() ? { schoolCode: (values.schoolCode ?? '').trim() } : {}),
      licenses: /^\d{1,9}$/.test(licences) ? Number(licences) : licences,
    };
    const res = await c.var.session.api.call('POST', '/api/orders', body);
    if (res.ok) return redirectWithNotice(c, `${UI}/roster`, 'Order added.');
    if (res.status >= 500 || res.status === 404 || res.status === 403 || res.status === 429) return refusal(c, res.error, res.status);
    return renderRoster(c, { order: { values, errors: errorsByField(res.error) }, error: res.error });
  });
