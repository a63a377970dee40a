import { Hono } from 'hono';
import { Scroll } from '../fields';
import { instant } from '../format';
import { CsrfField } from '../layout';
import { importPath, runPath, UI } from '../paths';
import { redirectWithNotice, refusal, signedInPage, type WebEnv } from '../web-env';

export const batchQueuePages = new Hono<WebEnv>()
  .get('/batch-queue', async (c) => {
    const { api, csrf, rights } = c.var.session;
    const [queue, imports] = await Promise.all([api.call<any[]>('GET', '/api/batch-queue'), api.call<any[]>('GET', '/api/imports')]);
    if (!queue.ok) return refusal(c, queue.error, queue.status);
    const names = new Map((imports.ok ? imports.body : []).map((i) => [i.id, i.name]));
    const canChange = rights.includes('batch.submit');
    return signedInPage(
      c,
      'Batch Queue',
      queue.body.length === 0 ? (
        <p>Nothing is queued. Submit an import to the batch from its page.</p>
      ) : (
        <Scroll label="Batch queue table">
          <table id="batch-queue">
            <thead>
              <tr><th scope="col">Import</th><th scope="col">Start at</th><th scope="col">Status</th><th scope="col">High Priority</th><th scope="col">Keep Until I Delete</th><th scope="col">Run</th>{canChange && <th scope="col">Action</th>}</tr>
            </thead>
            <tbody>
              {queue.body.map((b) => (
                <tr>
                  <th scope="row"><a href={importPath(b.importId)}>{names.get(b.importId) ?? b.importId}</a></th>
                  <td>{instant(b.startAt)}</td>
                  <td><span class={`status ${b.status}`}>{b.status}</span></td>
                  <td>{b.highPriority ? 'yes' : 'no'}</td>
                  <td>{b.keepUntilDeleted ? 'yes' : 'no'}</td>
                  <td>{b.runId ? <a href={runPath(b.runId)}>report</a> : '—'}</td>
                  {canChange && (
                    <td>
                      {b.status === 'processing' ? (
                        'running'
                      ) : (
                        <form method="post" action={`${UI}/batch-queue/${encodeURIComponent(b.batchId)}/delete`}>
                          <CsrfField token={csrf} />
                          <button type="submit">{b.status === 'queued' ? 'Cancel' : 'Delete'}</button>
                        </form>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </Scroll>
      ),
    );
  })
  .post('/batch-queue/:batchId/delete', async (c) => {
    const removed = await c.var.session.api.call('DELETE', `/api/batch-queue/${encodeURIComponent(c.req.param('batchId'))}`);
    if (!removed.ok) return refusal(c, removed.error, removed.status);
    return redirectWithNotice(c, `${UI}/batch-queue`, removed.status === 204 ? 'Deleted.' : 'Canceled.');
  });
