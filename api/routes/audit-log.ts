import { z } from 'zod';
import { listAuditEntries, type StoredAuditEntry } from '../../db/queries/audit-log';
import { districtOf, requireRight } from '../auth';
import { auditEntrySchema } from '../response-schemas';
import { defineRoute, json, newRouter, readRouteQuery } from '../route-contract';
import { reply } from '../typed-reply';
import { auditLogQuery } from '../schemas';

const present = (e: StoredAuditEntry) => ({
  id: e.id,
  at: e.at,
  keyId: e.keyId,
  districtId: e.districtId,
  method: e.method,
  route: e.route,
  objectId: e.objectId,
  status: e.status,
});

const listEntries = {
  method: 'get',
  path: '/',
  summary: 'The district’s audit log, newest first; `before` is the `id` of the last entry of the previous page',
  request: { query: auditLogQuery },
  responses: { 200: json('The entries; `keyId` null for the platform admin, `status` null while the request runs', z.array(auditEntrySchema)) },
} as const;

export const auditLogRoutes = newRouter();

defineRoute(auditLogRoutes, listEntries, async (c) => {
  requireRight(c, 'keys.manage');
  const districtId = await districtOf(c);
  const query = readRouteQuery(c, listEntries);
  return reply(c, listEntries, 200, (await listAuditEntries(c.var.deps.db, districtId, query)).map(present));
});
