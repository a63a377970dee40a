import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { ApiClient, ApiErrorBody } from './api-client';
import { Layout, type NavLink, type PageFrame } from './layout';
import { UI } from './paths';
import { noticeSignature, noticeSignatureMatches } from './session-tokens';

/** What a signed-in page knows: the API as the session's key sees it, the key's rights, and the form token. */
export interface SignedIn {
  api: ApiClient;
  /** The key's district; null for the platform admin key. */
  districtId: string | null;
  rights: string[];
  csrf: string;
  idHash: Buffer;
}

export type WebEnv = { Variables: { session: SignedIn } };

export type WebContext = Context<WebEnv>;

/** A whole page, in the layout, as HTML. */
export async function page(c: Context, frame: PageFrame, body: Child, status: 200 | 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 | 500 = 200) {
  const html = await (<Layout {...frame}>{body}</Layout>).toString();
  return c.html(`<!doctype html>${html}`, status);
}

/** The page of a signed-in admin, with navigation, and the notice its redirect signed (`?notice=&sig=`), if any. */
export function signedInPage(c: WebContext, title: string, body: Child, status?: Parameters<typeof page>[3]) {
  const notice = c.req.query('notice');
  const shown = notice && noticeSignatureMatches(c.var.session.csrf, notice, c.req.query('sig')) ? notice : undefined;
  return page(c, { title, csrf: c.var.session.csrf, nav: navigationOf(c.var.session), notice: shown }, body, status);
}

function navigationOf(session: SignedIn): NavLink[] {
  if (session.districtId === null) return [[`${UI}/districts`, 'Districts']];
  const links: NavLink[] = [
    [`${UI}/`, 'Imports'],
    [`${UI}/mappings`, 'Mappings'],
    [`${UI}/students`, 'Students'],
    [`${UI}/roster`, 'Schools and orders'],
    [`${UI}/batch-queue`, 'Batch Queue'],
  ];
  if (session.rights.includes('keys.manage')) links.push([`${UI}/districts/${session.districtId}/keys`, 'Keys'], [`${UI}/audit-log`, 'Audit log']);
  return links;
}

/** After a POST: back to a page (303, so a reload does not post again), with a signed sentence saying what happened. */
export function redirectWithNotice(c: WebContext, path: string, notice: string) {
  const query = `notice=${encodeURIComponent(notice)}&sig=${noticeSignature(c.var.session.csrf, notice)}`;
  return c.redirect(`${path}${path.includes('?') ? '&' : '?'}${query}`, 303);
}

/** Why the sign-in page is shown: fixed sentences, so the query cannot choose the words. */
export const SIGN_IN_REASONS = {
  ended: 'Your session has ended; sign in again.',
  refused: 'Signed out: the API no longer accepts your key (revoked or expired).',
  'signed-out': 'Signed out.',
} as const;

export function redirectToSignIn(c: Context, reason?: keyof typeof SIGN_IN_REASONS) {
  return c.redirect(`${UI}/sign-in${reason ? `?reason=${reason}` : ''}`, 303);
}

export const hasRight = (c: WebContext, right: string) => c.var.session.rights.includes(right);

const SHOWN_STATUSES = [400, 401, 403, 404, 409, 422, 429] as const;

/** A page for an API refusal that is not about a form: 404 for what this key cannot see, the API's sentence otherwise. */
export function refusal(c: WebContext, error: ApiErrorBody, status: number) {
  const shown = SHOWN_STATUSES.find((s) => s === status) ?? (status >= 500 ? 500 : 400);
  return signedInPage(
    c,
    status === 404 ? 'Not found' : 'Refused',
    <>
      <p class="error-summary" role="alert">
        <strong>{error.code}</strong>: {error.message}
      </p>
      <p>
        <a href={`${UI}/`}>Back to the imports</a>
      </p>
    </>,
    shown,
  );
}
