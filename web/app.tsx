import { readFileSync } from 'node:fs';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { ApiDeps } from '../api/env';
import { apiClient, type ApiFetch } from './api-client';
import { auditLogPages } from './pages/audit-log';
import { batchQueuePages } from './pages/batch-queue';
import { importPages } from './pages/imports';
import { keyPages } from './pages/keys';
import { studentPages } from './pages/students';
import { mappingPages } from './pages/mappings';
import { rosterPages } from './pages/roster';
import { runPages } from './pages/runs';
import { SignInForm } from './pages/sign-in';
import { UI } from './paths';
import { securityHeaders } from './security-headers';
import { CSRF_FIELD, csrfTokenMatches, csrfTokenOf, isSessionId, originMatchesHost, SESSION_COOKIE } from './session-tokens';
import { endSession, keyChecker, resumeSession, startSession } from './sessions';
import { page, redirectToSignIn, SIGN_IN_REASONS, type WebEnv } from './web-env';

const asset = (name: string) => readFileSync(new URL(`./assets/${name}`, import.meta.url), 'utf8');
const ASSETS = new Map([
  ['app.js', { body: asset('app.js'), type: 'text/javascript; charset=utf-8' }],
  ['style.css', { body: asset('style.css'), type: 'text/css; charset=utf-8' }],
]);

/** 10,000 students a line each, with room to spare. */
export const MAX_FORM_BYTES = 2 * 1024 * 1024;

/**
 * HTTPS here (TLS_CERT_FILE) or at a reverse proxy that says so. Trusting a forged `X-Forwarded-Proto: https`
 * costs nothing: it can only add Secure, which keeps the cookie off plain HTTP.
 */
export function servedOverHttps(url: string, forwardedProto: string | undefined): boolean {
  return new URL(url).protocol === 'https:' || forwardedProto?.split(',')[0]?.trim().toLowerCase() === 'https';
}

/**
 * The admin web page, mounted at /ui. Every page calls the API in-process through `apiFetch` with the
 * session's key, so rights, district isolation, validation, the audit log and rate limits are the API's own.
 */
export function createWebApp(deps: ApiDeps, apiFetch: ApiFetch, log: (message: string, error: unknown) => void = (m, e) => console.error(m, e)) {
  const checkKey = keyChecker(deps);
  const web = new Hono<WebEnv>();
  web.use('*', securityHeaders());
  // read before anyone is known (the sign-in form), so kept small: the largest form is the students box
  web.use('*', bodyLimit({ maxSize: MAX_FORM_BYTES, onError: (c) => page(c, { title: 'Too large' }, <p>The form is larger than {MAX_FORM_BYTES / 1024 / 1024} MB.</p>, 413) }));

  web.get('/assets/:name', (c) => {
    const file = ASSETS.get(c.req.param('name'));
    if (!file) return c.text('Not found', 404);
    c.header('Cache-Control', 'no-cache');
    return c.body(file.body, 200, { 'Content-Type': file.type });
  });

  web.get('/sign-in', (c) => {
    const reason = c.req.query('reason');
    const notice = reason && Object.hasOwn(SIGN_IN_REASONS, reason) ? SIGN_IN_REASONS[reason as keyof typeof SIGN_IN_REASONS] : undefined;
    return page(c, { title: 'Sign in', notice }, <SignInForm />);
  });
  web.post('/sign-in', async (c) => {
    if (!originMatchesHost(c.req.header('origin'), c.req.header('host'))) {
      return page(c, { title: 'Sign in' }, <SignInForm error="This sign-in form did not come from this site." />, 403);
    }
    const form = await c.req.parseBody();
    const key = typeof form.key === 'string' ? form.key.trim() : '';
    const check = key ? await checkKey(key) : { ok: false as const, message: 'Paste an API key.' };
    if (!check.ok) return page(c, { title: 'Sign in' }, <SignInForm error={check.message} />, 401);
    const id = await startSession(deps, key, check.principal);
    setCookie(c, SESSION_COOKIE, id, {
      path: UI,
      httpOnly: true,
      sameSite: 'Strict',
      secure: servedOverHttps(c.req.url, c.req.header('x-forwarded-proto')),
    });
    return c.redirect(check.principal.kind === 'platform' ? `${UI}/districts` : `${UI}/`, 303);
  });

  // every other page: a live session whose key the API still accepts
  web.use('*', async (c, next) => {
    const id = getCookie(c, SESSION_COOKIE);
    const session = isSessionId(id) ? await resumeSession(deps, id) : undefined;
    if (!session) return redirectToSignIn(c, id ? 'ended' : undefined);
    const check = await checkKey(session.key);
    if (!check.ok) {
      await endSession(deps, session.idHash);
      deleteCookie(c, SESSION_COOKIE, { path: UI });
      return redirectToSignIn(c, 'refused');
    }
    if (c.req.method === 'POST') {
      const form = await c.req.parseBody();
      if (!csrfTokenMatches(id!, form[CSRF_FIELD])) {
        return page(c, { title: 'Refused' }, <p>This form is out of date or did not come from this site. Go back, reload the page and try again.</p>, 403);
      }
    }
    const { principal } = check;
    c.set('session', {
      api: apiClient(apiFetch, session.key),
      districtId: principal.kind === 'district' ? principal.districtId : null,
      rights: principal.kind === 'district' ? principal.rights : [],
      csrf: csrfTokenOf(id!),
      idHash: session.idHash,
    });
    await next();
  });

  web.post('/sign-out', async (c) => {
    await endSession(deps, c.var.session.idHash);
    deleteCookie(c, SESSION_COOKIE, { path: UI });
    return redirectToSignIn(c, 'signed-out');
  });
  web.route('/', keyPages);
  // the platform admin key has no district: it creates districts and their keys, nothing else here
  web.use('*', async (c, next) => (c.var.session.districtId === null ? c.redirect(`${UI}/districts`, 303) : next()));
  web.route('/', importPages);
  web.route('/', runPages);
  web.route('/', batchQueuePages);
  web.route('/', mappingPages);
  web.route('/', rosterPages);
  web.route('/', studentPages);
  web.route('/', auditLogPages);
  web.notFound((c) => page(c, { title: 'Not found' }, <p><a href={`${UI}/`}>Back to the imports</a></p>, 404));
  web.onError((error, c) => {
    log(`Unhandled error on ${c.req.method} ${UI}${c.req.path}`, error);
    return page(c, { title: 'Something failed' }, <p>The server could not show this page; the error is in its log.</p>, 500);
  });
  return web;
}
