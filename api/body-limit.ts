import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiError } from './errors';
import type { AppEnv } from './env';
import { matchedRoute } from './matched-route';

const MB = 1024 * 1024;
export const DEFAULT_BODY_LIMIT = 1 * MB;
/** Routes allowed more than the default, by method and route pattern. */
export const LARGER_BODY_LIMITS: Record<string, number> = { 'PUT /api/students': 10 * MB };

function limitOf(maxBytes: number): MiddlewareHandler<AppEnv> {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new ApiError(413, 'BODY_TOO_LARGE', `The request body is larger than ${maxBytes / MB} MB, the limit for this route.`);
    },
  });
}

/**
 * 413 BODY_TOO_LARGE before any handler parses the body. Hono's bodyLimit refuses a Content-Length over
 * the limit without reading; a chunked body is read only until it passes the limit.
 */
export function requestBodyLimit(): MiddlewareHandler<AppEnv> {
  const standard = limitOf(DEFAULT_BODY_LIMIT);
  const larger = new Map(Object.entries(LARGER_BODY_LIMITS).map(([route, maxBytes]) => [route, limitOf(maxBytes)]));
  return (c, next) => {
    const route = matchedRoute(c);
    const limit = (route && larger.get(`${c.req.method} ${route.pattern}`)) ?? standard;
    return limit(c, next);
  };
}
