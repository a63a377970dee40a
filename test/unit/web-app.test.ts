import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createApp } from '../../api/app';
import type { ApiDeps } from '../../api/env';

/** Only what answers before any session is looked up: no database is reached, so none is given. */
const app = createApp({} as ApiDeps, () => {});

test('the script and stylesheet are served from /ui/assets under the content security policy; nothing else is', async () => {
  const script = await app.request('/ui/assets/app.js');
  assert.equal(script.status, 200);
  assert.equal(script.headers.get('content-type'), 'text/javascript; charset=utf-8');
  assert.match(script.headers.get('content-security-policy')!, /script-src 'self'/);
  for (const name of ['__proto__', 'constructor', '..%2Fapp.tsx', 'nope.js']) assert.equal((await app.request(`/ui/assets/${name}`)).status, 404, name);
});

test('a page without a session, or with a cookie that is not a session id, sends the browser to sign in', async () => {
  const none = await app.request('/ui/');
  assert.deepEqual([none.status, none.headers.get('location')], [303, '/ui/sign-in']);
  const bad = await app.request('/ui/imports/1', { headers: { cookie: "si_session=' or 1=1 --" } });
  assert.deepEqual([bad.status, bad.headers.get('location')], [303, '/ui/sign-in?reason=ended']);
  const post = await app.request('/ui/imports/1/delete', { method: 'POST' });
  assert.deepEqual([post.status, post.headers.get('location')], [303, '/ui/sign-in']);
});

test('the sign-in page shows only its own sentences, whatever the query says', async () => {
  const shown = await (await app.request('/ui/sign-in?reason=ended')).text();
  assert.match(shown, /Your session has ended/);
  const other = await (await app.request('/ui/sign-in?reason=%3Cb%3Ecall%20us%3C%2Fb%3E&notice=call%20us')).text();
  assert.doesNotMatch(other, /call us/);
});
