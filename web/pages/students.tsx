import { Hono } from 'hono';
import type { ApiErrorBody } from '../api-client';
import { ErrorSummary, Scroll, TextAreaField, TextField, type FieldState } from '../fields';
import { formValues } from '../import-form';
import { CsrfField } from '../layout';
import { UI } from '../paths';
import { redirectWithNotice, refusal, signedInPage, type WebContext, type WebEnv } from '../web-env';

const COLUMNS = ['studentNumber', 'firstName', 'lastName', 'birthDate', 'stateId', 'personId'] as const;

/** One student a line, comma-separated in COLUMNS' order; blank trailing columns are left out. */
export function studentsFromText(text: string): Record<string, string>[] {
  return text
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const cells = line.split(',').map((cell) => cell.trim());
      return Object.fromEntries(COLUMNS.flatMap((column, i) => (cells[i] ? [[column, cells[i]]] : [])));
    });
}

/** `3.firstName` (the API's field for the fourth student) as `line 4, firstName`. */
function withLines(error: ApiErrorBody): ApiErrorBody {
  return {
    ...error,
    details: error.details.map((d) => {
      const match = d.field ? /^(\d+)\.?(.*)$/.exec(d.field) : null;
      return match ? { message: `line ${Number(match[1]) + 1}${match[2] ? `, ${match[2]}` : ''}: ${d.message}` } : d;
    }),
  };
}

async function renderStudents(c: WebContext, extra: { upload?: FieldState; error?: ApiErrorBody } = {}) {
  const { api, csrf } = c.var.session;
  const number = c.req.query('studentNumber')?.trim();
  const found = number ? await api.call('GET', `/api/students/${encodeURIComponent(number)}`) : undefined;
  const lookup: FieldState = { values: { studentNumber: number ?? '' }, errors: found && !found.ok && found.status === 404 ? { studentNumber: 'No student of this district has this number.' } : {} };
  return signedInPage(
    c,
    'Students',
    <>
      <form method="get" action={`${UI}/students`} class="card" role="search">
        <h2>Find a student</h2>
        <TextField name="studentNumber" label="Student number" state={lookup} />
        <button type="submit">Find</button>
      </form>
      {found?.ok && (
        <section class="card" aria-labelledby="student-heading">
          <h2 id="student-heading">{`${found.body.lastName}, ${found.body.firstName}`}</h2>
          <dl class="facts">
            {Object.entries(found.body)
              .filter(([k, v]) => k !== 'eligibility' && v !== null && typeof v !== 'object')
              .map(([k, v]) => (
                <><dt>{k}</dt><dd>{String(v)}</dd></>
              ))}
          </dl>
          {(found.body.eligibility ?? []).length > 0 && (
            <Scroll label="Eligibility table">
              <table>
                <caption>Eligibility</caption>
                <thead><tr><th scope="col">School year</th><th scope="col">Start</th><th scope="col">End</th><th scope="col">Eligibility</th><th scope="col">Type</th></tr></thead>
                <tbody>
                  {found.body.eligibility.map((e: any) => (
                    <tr><td>{e.schoolYear}</td><td>{e.startDate}</td><td>{e.endDate ?? ''}</td><td>{e.eligibility}</td><td>{e.certifiedType}</td></tr>
                  ))}
                </tbody>
              </table>
            </Scroll>
          )}
        </section>
      )}
      <form method="post" action={`${UI}/students`} class="card" novalidate>
        <CsrfField token={csrf} />
        <h2>Add or update students</h2>
        <ErrorSummary error={extra.error} />
        <TextAreaField
          name="students"
          label="Students"
          rows={8}
          state={extra.upload ?? { values: {}, errors: {} }}
          hint="One a line: student number, first name, last name, and optionally birth date (YYYY-MM-DD), state ID, person ID, separated by commas. Up to 10,000."
        />
        <button type="submit">Save students</button>
      </form>
    </>,
    extra.error ? 422 : found && !found.ok && found.status === 404 ? 404 : 200,
  );
}

export const studentPages = new Hono<WebEnv>()
  .get('/students', (c) => renderStudents(c))
  .post('/students', async (c) => {
    const values = formValues(await c.req.parseBody());
    const saved = await c.var.session.api.call('PUT', '/api/students', studentsFromText(values.students ?? ''));
    if (saved.ok) return redirectWithNotice(c, `${UI}/students`, `${saved.body.upserted} ${saved.body.upserted === 1 ? 'student' : 'students'} saved.`);
    if (saved.status !== 422 && saved.status !== 400) return refusal(c, saved.error, saved.status);
    return renderStudents(c, { upload: { values, errors: { students: 'See the lines listed above.' } }, error: withLines(saved.error) });
  });
