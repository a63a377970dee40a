import { Hono } from 'hono';
import { DATE_FORMATS } from '../../domain/dates';
import { FIELD_LABELS, IDENTIFIER_FIELDS, MAPPING_FIELDS } from '../../kinds/eligibility/mapping';
import { errorsByField } from '../api-client';
import { CheckboxField, ErrorSummary, SelectField, TextAreaField, TextField, type FieldState } from '../fields';
import { formValues, type FormValues } from '../import-form';
import { CsrfField } from '../layout';
import { UI } from '../paths';
import { redirectWithNotice, refusal, signedInPage, type WebEnv } from '../web-env';

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** `FREE=F` lines as `{"FREE": "F"}`; a line without `=` is passed on for the API to refuse. */
function codeTable(text: string | undefined): Record<string, string> | undefined {
  const lines = (text ?? '').split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  if (lines.length === 0) return undefined;
  return Object.fromEntries(lines.map((line) => {
    const at = line.indexOf('=');
    return at < 0 ? [line, ''] : [line.slice(0, at).trim(), line.slice(at + 1).trim()];
  }));
}

/** The body of POST /api/mappings the form describes; columns are positions when the file has no header. */
export function mappingBodyFromForm(values: FormValues): Record<string, unknown> {
  const hasHeader = values.hasHeader === 'on';
  const columns: Record<string, string | number> = {};
  for (const field of MAPPING_FIELDS) {
    const v = (values[`columns.${field}`] ?? '').trim();
    if (v !== '') columns[field] = !hasHeader && /^\d{1,5}$/.test(v) ? Number(v) : v;
  }
  const year = (values.schoolYear ?? '').trim();
  const eligibility = codeTable(values['values.eligibility']);
  const certifiedType = codeTable(values['values.certifiedType']);
  return {
    name: values.name ?? '',
    schoolYear: /^\d{4}$/.test(year) ? Number(year) : year,
    format: values.format,
    hasHeader,
    dateFormat: values.dateFormat,
    identifier: values.identifier,
    columns,
    values: { ...(eligibility ? { eligibility } : {}), ...(certifiedType ? { certifiedType } : {}) },
  };
}

function MappingForm(props: { state: FieldState; csrf: string; error?: any }) {
  const { state } = props;
  return (
    <form method="post" action={`${UI}/mappings`} class="card" novalidate>
      <CsrfField token={props.csrf} />
      <ErrorSummary error={props.error} shown={Object.keys(state.errors)} />
      <fieldset>
        <legend>File</legend>
        <TextField name="name" label="Name" state={state} required />
        <TextField name="schoolYear" label="School year" state={state} inputmode="numeric" hint="The year the school year ends, e.g. 2026." />
        <SelectField name="format" label="Format" state={state} options={[['csv', 'Comma-separated (CSV)'], ['tab', 'Tab-separated']]} />
        <CheckboxField name="hasHeader" label="The first line is a header" state={state} />
        <SelectField name="dateFormat" label="Date format" state={state} options={DATE_FORMATS.map((f) => [f, f] as const)} />
        <SelectField name="identifier" label="Students are identified by" state={state} options={IDENTIFIER_FIELDS.map((f) => [f, cap(FIELD_LABELS[f])] as const)} />
      </fieldset>
      <fieldset>
        <legend>Columns</legend>
        <p class="hint">The header name of each column, or its position (1, 2, …) when the file has no header. Leave unused fields blank.</p>
        {MAPPING_FIELDS.map((f) => <TextField name={`columns.${f}`} label={cap(FIELD_LABELS[f])} state={state} />)}
      </fieldset>
      <fieldset>
        <legend>Code translations</legend>
        <TextAreaField name="values.eligibility" label="Eligibility codes" state={state} hint="One per line: the file's code = ours (F, R or S), e.g. FREE=F." />
        <TextAreaField name="values.certifiedType" label="Certified type codes" state={state} hint="One per line, e.g. DIRECT=D." />
      </fieldset>
      <button type="submit">Create mapping</button>
    </form>
  );
}

const NEW_MAPPING: FormValues = { hasHeader: 'on', format: 'csv', dateFormat: 'MM/DD/YYYY', identifier: 'studentNumber' };

export const mappingPages = new Hono<WebEnv>()
  .get('/mappings', async (c) => {
    const list = await c.var.session.api.call<any[]>('GET', '/api/mappings');
    if (!list.ok) return refusal(c, list.error, list.status);
    return signedInPage(
      c,
      'Mappings',
      <>
        <p><a class="button" href={`${UI}/mappings/new`}>New mapping</a></p>
        {list.body.length === 0 ? (
          <p>No mappings yet. An eligibility import needs one.</p>
        ) : (
          <table>
            <thead><tr><th scope="col">Name</th><th scope="col">School year</th><th scope="col">Format</th><th scope="col">Identifier</th><th scope="col">Schedulable</th></tr></thead>
            <tbody>
              {list.body.map((m) => (
                <tr>
                  <th scope="row"><a href={`${UI}/mappings/${encodeURIComponent(m.id)}`}>{m.name}</a></th>
                  <td>{m.schoolYear}</td><td>{m.format}</td><td>{m.identifier}</td>
                  <td>{m.schedulable ? 'yes' : 'no: it reads no start and end date'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </>,
    );
  })
  .get('/mappings/new', (c) => signedInPage(c, 'New mapping', <MappingForm state={{ values: NEW_MAPPING, errors: {} }} csrf={c.var.session.csrf} />))
  .post('/mappings', async (c) => {
    const values = formValues(await c.req.parseBody());
    const created = await c.var.session.api.call('POST', '/api/mappings', mappingBodyFromForm(values));
    if (created.ok) return redirectWithNotice(c, `${UI}/mappings/${encodeURIComponent(created.body.id)}`, 'Mapping created.');
    if (created.status !== 422 && created.status !== 400) return refusal(c, created.error, created.status);
    const errors: Record<string, string> = {};
    for (const [field, message] of Object.entries(errorsByField(created.error))) {
      const name = field.startsWith('values.') ? field.split('.').slice(0, 2).join('.') : field;
      errors[name] ??= message;
    }
    return signedInPage(c, 'New mapping', <MappingForm state={{ values, errors }} csrf={c.var.session.csrf} error={created.error} />, 422);
  })
  .get('/mappings/:id', async (c) => {
    const m = await c.var.session.api.call('GET', `/api/mappings/${encodeURIComponent(c.req.param('id'))}`);
    if (!m.ok) return refusal(c, m.error, m.status);
    const codes = (t: Record<string, string> | undefined) => Object.entries(t ?? {}).map(([k, v]) => `${k} → ${v}`).join(', ') || 'none';
    return signedInPage(
      c,
      m.body.name,
      <section class="card">
        <dl class="facts">
          <dt>School year</dt><dd>{m.body.schoolYear}</dd>
          <dt>Format</dt><dd>{m.body.format}{m.body.hasHeader ? ', with a header' : ', no header'}</dd>
          <dt>Date format</dt><dd>{m.body.dateFormat}</dd>
          <dt>Identifier</dt><dd>{m.body.identifier}</dd>
          {MAPPING_FIELDS.filter((f) => m.body.columns[f] !== undefined).map((f) => (
            <><dt>{cap(FIELD_LABELS[f])}</dt><dd>{String(m.body.columns[f])}</dd></>
          ))}
          <dt>Eligibility codes</dt><dd>{codes(m.body.values?.eligibility)}</dd>
          <dt>Certified type codes</dt><dd>{codes(m.body.values?.certifiedType)}</dd>
          <dt>Schedulable</dt><dd>{m.body.schedulable ? 'yes' : 'no'}</dd>
        </dl>
      </section>,
    );
  });
