import type { Right } from '../security/api-keys';

/**
 * Who may call a route: a district key holding the right (the platform admin key always may, naming the
 * district in X-District-Id where the path does not), the platform admin key only, or anyone, without a key.
 */
export type RouteAccess = Right | 'platform' | 'none';

export interface RouteRight {
  access: RouteAccess;
  /** What the path's id names when it is one of a district's objects: another district's key gets 404 for it, never 403. */
  pathObject?: string;
}

/**
 * Every route the app serves, as `METHOD /api/pattern`. The routes check rights themselves; this table is
 * what they must do, and the README's table and the test that walks every route are held to it.
 */
export const ROUTE_RIGHTS: Record<string, RouteRight> = {
  'GET /api/health': { access: 'none' },
  'GET /api/openapi.json': { access: 'none' },
  'POST /api/districts': { access: 'platform' },
  'POST /api/districts/:id/keys': { access: 'keys.manage', pathObject: 'the district' },
  'GET /api/districts/:id/keys': { access: 'keys.manage', pathObject: 'the district' },
  'DELETE /api/districts/:id/keys/:keyId': { access: 'keys.manage', pathObject: 'the district and one of its keys' },
  'GET /api/audit-log': { access: 'keys.manage' },
  'PUT /api/students': { access: 'imports.write' },
  'GET /api/students/:studentNumber': { access: 'imports.read', pathObject: 'the student' },
  'POST /api/mappings': { access: 'imports.write' },
  'GET /api/mappings': { access: 'imports.read' },
  'GET /api/mappings/:id': { access: 'imports.read', pathObject: 'the mapping' },
  'POST /api/imports': { access: 'imports.write' },
  'GET /api/imports': { access: 'imports.read' },
  'GET /api/imports/:id': { access: 'imports.read', pathObject: 'the import' },
  'PATCH /api/imports/:id': { access: 'imports.write', pathObject: 'the import' },
  'DELETE /api/imports/:id': { access: 'imports.write', pathObject: 'the import' },
  'POST /api/imports/:id/test-connection': { access: 'imports.run', pathObject: 'the import' },
  'POST /api/imports/:id/test': { access: 'imports.run', pathObject: 'the import' },
  'POST /api/imports/:id/run': { access: 'imports.run', pathObject: 'the import' },
  'POST /api/imports/:id/batch': { access: 'batch.submit', pathObject: 'the import' },
  'GET /api/runs': { access: 'reports.read' },
  'GET /api/runs/:runId': { access: 'reports.read', pathObject: 'the run' },
  'GET /api/runs/:runId/report': { access: 'reports.read', pathObject: 'the run' },
  'POST /api/runs/:runId/cancel': { access: 'imports.run', pathObject: 'the run' },
  'POST /api/schools': { access: 'imports.write' },
  'GET /api/schools': { access: 'imports.read' },
  'POST /api/orders': { access: 'imports.write' },
  'GET /api/orders': { access: 'imports.read' },
  'POST /api/orders/:id/students': { access: 'imports.write', pathObject: 'the order' },
  'GET /api/batch-queue': { access: 'imports.read' },
  'DELETE /api/batch-queue/:batchId': { access: 'batch.submit', pathObject: 'the batch submission' },
};
