import { OpenAPIHono } from '@hono/zod-openapi';
import { recordAuditIntent, recordAuditOutcome } from './audit';
import { authenticate } from './auth';
import { requestBodyLimit } from './body-limit';
import { ApiError, errorResponse } from './errors';
import type { ApiDeps, AppEnv } from './env';
import { openApiDocumentOf } from './openapi-document';
import { requestRateLimit } from './rate-limit';
import { healthSchema, openApiDocumentSchema } from './response-schemas';
import { defineRoute, json } from './route-contract';
import { reply } from './typed-reply';
import { auditLogRoutes } from './routes/audit-log';
import { batchQueueRoutes } from './routes/batch-queue';
import { districtRoutes } from './routes/districts';
import { importRoutes } from './routes/imports';
import { mappingRoutes } from './routes/mappings';
import { orderRoutes } from './routes/orders';
import { runRoutes } from './routes/runs';
import { schoolRoutes } from './routes/schools';
import { studentRoutes } from './routes/students';
import { createWebApp } from '../web/app';

const healthRoute = {
  method: 'get',
  path: '/api/health',
  summary: 'Health of the database and Temporal',
  responses: { 200: json('Healthy', healthSchema), 503: json('The database or Temporal is down', healthSchema) },
} as const;

const documentRoute = {
  method: 'get',
  path: '/api/openapi.json',
  summary: 'This document, generated from the route definitions',
  responses: { 200: json('OpenAPI 3.1', openApiDocumentSchema) },
} as const;

export function createApp(deps: ApiDeps, log: (message: string, error: unknown) => void = (m, e) => console.error(m, e)) {
  const app = new OpenAPIHono<AppEnv>();
  app.use('*', async (c, next) => {
    c.set('deps', deps);
    await next();
  });
  defineRoute(app, healthRoute, async (c) => {
    const [database, temporal] = await Promise.all([
      deps.db.query('select 1').then(() => true, () => false),
      deps.launcher.temporalHealthy(),
    ]);
    const health = { ok: database && temporal, database, temporal };
    return health.ok ? reply(c, healthRoute, 200, health) : reply(c, healthRoute, 503, health);
  });
  // generated once every route is mounted, below
  let openApi: ReturnType<typeof openApiDocumentOf> | undefined;
  defineRoute(app, documentRoute, (c) => reply(c, documentRoute, 200, openApi!));

  const api = new OpenAPIHono<AppEnv>();
  // in this order: the outcome of every audited request, a key refused by authentication included; who
  // asks; the key's request rate (a refused request changes nothing and writes no audit entry, so a
  // flood cannot fill the table); the audit entry, written before anything changes; then the body
  // limit, so a caller without a valid key never makes the server read a byte of its body
  api.use('*', recordAuditOutcome(log));
  api.use('*', authenticate());
  api.use('*', requestRateLimit());
  api.use('*', recordAuditIntent(log));
  api.use('*', requestBodyLimit());
  api.route('/districts', districtRoutes);
  api.route('/students', studentRoutes);
  api.route('/mappings', mappingRoutes);
  api.route('/imports', importRoutes);
  api.route('/runs', runRoutes);
  api.route('/audit-log', auditLogRoutes);
  api.route('/schools', schoolRoutes);
  api.route('/orders', orderRoutes);
  api.route('/batch-queue', batchQueueRoutes);
  app.route('/api', api);
  openApi = openApiDocumentOf(app);
  // the admin web page: a mounted app of its own (one route for any method, not an API route), calling the API above in-process
  app.mount('/ui', createWebApp(deps, (request) => app.fetch(request), log).fetch);

  app.notFound((c) => errorResponse(c, new ApiError(404, 'NOT_FOUND', `No route ${c.req.method} ${c.req.path}.`)));
  app.onError((error, c) => {
    if (error instanceof ApiError) return errorResponse(c, error);
    log(`Unhandled error on ${c.req.method} ${c.req.path}`, error);
    return errorResponse(c, new ApiError(500, 'INTERNAL', 'The server failed to handle the request; the error is in its log.'));
  });
  return app;
}
