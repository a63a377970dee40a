import type { MiddlewareHandler } from 'hono';

/** No inline script or style anywhere: scripts and styles come from /ui/assets only. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    c.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'same-origin');
    c.header('X-Frame-Options', 'DENY');
    // pages show a district's data: never kept by shared caches or the back button after sign-out
    if (!c.req.path.includes('/assets/')) c.header('Cache-Control', 'no-store');
  };
}
