import { createApp } from '../../api/app';
import type { ApiDeps } from '../../api/env';

/**
 * Every route the app serves, as `METHOD /api/pattern`, in the order the app registers them. Reads the
 * routing table only: no request reaches a handler, so no dependency is needed.
 */
export function servedRoutes(): string[] {
  const app = createApp({} as ApiDeps);
  return [...new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`))];
}
