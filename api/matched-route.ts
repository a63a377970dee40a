import type { Context } from 'hono';
import { matchedRoutes } from 'hono/route';

export interface MatchedRoute {
  /** The route pattern, e.g. /api/imports/:id: never the raw path. */
  pattern: string;
  params: Record<string, string>;
}

/**
 * The handler a request was routed to, known to middleware before the handler runs. Hono matches
 * middleware (method ALL) and handlers in one list; ours never call next(), so the first handler answers.
 */
export function matchedRoute(c: Context): MatchedRoute | undefined {
  const index = matchedRoutes(c).findIndex((r) => r.method !== 'ALL');
  if (index < 0) return undefined;
  const current = c.req.routeIndex;
  // param() reads the params of the route at routeIndex, which in middleware is the middleware's own
  c.req.routeIndex = index;
  try {
    return { pattern: matchedRoutes(c)[index]!.path, params: c.req.param() as Record<string, string> };
  } finally {
    c.req.routeIndex = current;
  }
}
