import { Hono } from 'hono';
import { Scroll } from '../fields';
import { instant } from '../format';
import { UI } from '../paths';
import { refusal, signedInPage, type WebEnv } from '../web-env';

const ENTRIES_PER_PAGE = 50;

/** The district's audit log, newest first, a page at a time (`before`: the id the API pages by). */
export const auditLogPages = new Hono<WebEnv>().get('/audit-log', async (c) => {
  const before = c.req.query('before');
  const { api } = c.var.session;
  const [entries, keys] = await Promise.all([
    api.call<any[]>('GET', `/api/audit-log?limit=${ENTRIES_PER_PAGE}${before ? `&before=${encodeURIComponent(before)}` : ''}`),
    api.call<any[]>('GET', `/api/districts/${encodeURIComponent(c.var.session.districtId ?? '')}/keys`),
  ]);
  if (!entries.ok) return refusal(c, entries.error, entries.status);
  const keyNames = new Map((keys.ok ? keys.body : []).map((k) => [k.id, k.name]));
  const last = entries.body.at(-1);
  return signedInPage(
    c,
    'Audit log',
    <>
      <p>Every change made with the district's keys, from this page or the API, newest first.</p>
      {entries.body.length === 0 ? (
        <p>No entries{before ? ' before these' : ''}.</p>
      ) : (
        <Scroll label="Audit log table">
          <table id="audit-log">
            <thead><tr><th scope="col">At</th><th scope="col">Key</th><th scope="col">Request</th><th scope="col">Object</th><th scope="col">Status</th></tr></thead>
            <tbody>
              {entries.body.map((e) => (
                <tr>
                  <td>{instant(e.at)}</td>
                  <td>{keyNames.get(e.keyId) ?? e.keyId ?? 'platform admin'}</td>
                  <td><code>{`${e.method} ${e.route}`}</code></td>
                  <td>{e.objectId ?? '—'}</td>
                  <td>{e.status ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Scroll>
      )}
      {last && entries.body.length === ENTRIES_PER_PAGE && (
        <p><a href={`${UI}/audit-log?before=${encodeURIComponent(String(last.id))}`} rel="next">Older entries</a></p>
      )}
    </>,
  );
});
