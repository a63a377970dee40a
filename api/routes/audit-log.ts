import { Hono } from 'hono';
import { listAuditEntries, type StoredAuditEntry } from '../../db/queries/audit-log';
import { districtOf, requireRight } from '../auth';
import { parseWith } from '../errors';
import type { AppEnv } from '../env';
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

export const auditLogRoutes = new Hono<AppEnv>().get('/', async (c) => {
  requireRight(c, 'keys.manage');
  const districtId = await districtOf(c);
  const query = parseWith(auditLogQuery, c.req.query());
  return c.json((await listAuditEntries(c.var.deps.db, districtId, query)).map(present));
});
