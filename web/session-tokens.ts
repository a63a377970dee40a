import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The cookie that carries the session id (httpOnly, SameSite=Strict, Secure over HTTPS). */
export const SESSION_COOKIE = 'si_session';
export const CSRF_FIELD = '_csrf';

/** 32 random bytes, base64url: what the browser holds. */
export function newSessionId(): string {
  return randomBytes(32).toString('base64url');
}

/** What the database holds: the id's SHA-256, so reading the table opens no session. */
export function sessionIdHash(sessionId: string): Buffer {
  return createHash('sha256').update(sessionId).digest();
}

/** The AAD of the session's sealed API key: a sealed key moved to another session does not open. */
export const sealedKeyContext = (idHash: Buffer) => `web-session:${idHash.toString('hex')}`;

/**
 * The session's CSRF token: an HMAC of a fixed label under the session id. Only a page of this session
 * (which the server rendered with the token) can know it; a cross-site form cannot read the cookie.
 */
export function csrfTokenOf(sessionId: string): string {
  return createHmac('sha256', sessionId).update('csrf').digest('base64url');
}

export function csrfTokenMatches(sessionId: string, presented: unknown): boolean {
  if (typeof presented !== 'string') return false;
  const expected = Buffer.from(csrfTokenOf(sessionId));
  const given = Buffer.from(presented);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A well-formed session id (43 base64url characters), before any database lookup. */
export function isSessionId(text: string | undefined): text is string {
  return typeof text === 'string' && /^[A-Za-z0-9_-]{43}$/.test(text);
}

/**
 * A notice carried in a redirect's URL (`?notice=…&sig=…`) is shown only with this signature, so a link
 * from elsewhere cannot put its own words on the page.
 */
export function noticeSignature(csrfToken: string, notice: string): string {
  return createHmac('sha256', csrfToken).update(`notice:${notice}`).digest('base64url');
}

export function noticeSignatureMatches(csrfToken: string, notice: string, presented: string | undefined): boolean {
  if (typeof presented !== 'string') return false;
  const expected = Buffer.from(noticeSignature(csrfToken, notice));
  const given = Buffer.from(presented);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * The sign-in form has no session yet, so no CSRF token: a browser's Origin header must name this host,
 * or another site could sign the admin in with its own key. No Origin (not a browser) is let through.
 */
export function originMatchesHost(origin: string | undefined, host: string | undefined): boolean {
  if (origin === undefined) return true;
  try {
    return host !== undefined && new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}
