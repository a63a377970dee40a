import type { Context, MiddlewareHandler } from 'hono';
import { completeAuditEntry, insertAuditEntry } from '../db/queries/audit-log';
import type { Principal } from './auth';
import { ApiError } from './errors';
import type { AppEnv } from './env';
import { matchedRoute, type MatchedRoute } from './matched-route';

type Log = (message: string, error: unknown) => void;

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const AUDITED_READS = [/^\/api\/students(\/|$)/, /^\/api\/runs\/:runId\/report$/];

/** State changes, refused ones too, and reads of student data or of a report. */
export function isAudited(method: string, route: MatchedRoute | undefined): boolean {
  if (STATE_CHANGING.has(method)) return true;
  return (method === 'GET' || method === 'HEAD') && route !== undefined && AUDITED_READS.some((read) => read.test(route.pattern));
}

// A path parameter is whatever the caller sent: bounded, and without control characters (PostgreSQL text refuses NUL).
const cleanObjectId = (value: string) => value.replace(/[\u0000-\u001f\u007f]/g, '?').slice(0, 100);

/** The route's last path parameter, the object it addresses: /api/imports/:id/run → the import. */
function objectIdOf(route: MatchedRoute | undefined): string | null {
  const name = route ? [...route.pattern.matchAll(/:(\w+)/g)].at(-1)?.[1] : undefined;
  const value = name === undefined ? undefined : route!.params[name];
  return value === undefined ? null : cleanObjectId(value);
}

/**
 * Whom an entry names: a stored district key (a revoked or expired one too) or the platform admin.
 * No key or an unknown one names nobody, and is not recorded: anyone could fill the table with them.
 */
function actorOf(c: Context<AppEnv>): { keyId: string | null; districtId: string | null } | undefined {
  const key = c.var.presentedKey;
  if (key) return { keyId: key.id, districtId: key.districtId };
  const principal = c.get('principal') as Principal | undefined;
  if (principal?.kind === 'platform') return { keyId: null, districtId: c.var.actingDistrictId ?? null };
  return undefined;
}

/** A create route names what it created, so its audit entry points at the new object. */
export function auditCreated(c: Context<AppEnv>, id: string): void {
  c.set('createdId', id);
}

/**
 * Writes the audit entry before the handler runs (after authentication): no state change and no read of
 * student data happens without one. If the entry cannot be written, the request is refused with 503.
 */
export function recordAuditIntent(log: Log): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const route = matchedRoute(c);
    const actor = actorOf(c);
    if (!actor || !isAudited(c.req.method, route)) return next();
    try {
      const entry = { ...actor, method: c.req.method, route: route?.pattern ?? null, objectId: objectIdOf(route), status: null };
      c.set('auditEntryId', await insertAuditEntry(c.var.deps.db, entry));
    } catch (error) {
      log('Writing an audit log entry failed; the request was refused', error);
      throw new ApiError(503, 'AUDIT_UNAVAILABLE', 'The audit log could not be written, so the request was not carried out; try again later.', [], { cause: error });
    }
    await next();
  };
}

/**
 * Records each audited request's outcome (placed before authentication, so it also sees a revoked or
 * expired key refused there). A failure to record it is logged; the entry then keeps status null.
 */
export function recordAuditOutcome(log: Log): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    const route = matchedRoute(c);
    const actor = actorOf(c);
    if (!actor || !isAudited(c.req.method, route)) return;
    const db = c.var.deps.db;
    const status = c.res.status;
    const entryId = c.var.auditEntryId;
    try {
      if (entryId) {
        await completeAuditEntry(db, entryId, { status, districtId: actor.districtId, objectId: c.var.createdId ?? null });
      } else if (c.get('principal') === undefined) {
        // refused by authentication before an entry was written
        await insertAuditEntry(db, { ...actor, method: c.req.method, route: route?.pattern ?? null, objectId: objectIdOf(route), status });
      }
    } catch (error) {
      log('Recording the outcome of an audited request failed', error);
    }
  };
}
