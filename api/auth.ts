import type { Context, MiddlewareHandler } from 'hono';
import { findApiKeyByHash, recordApiKeyUse } from '../db/queries/api-keys';
import { findDistrict } from '../db/queries/districts';
import { hashApiKey, sameKey, type Right } from '../security/api-keys';
import { ApiError } from './errors';
import type { AppEnv } from './env';

export type Principal = { kind: 'platform' } | { kind: 'district'; districtId: string; rights: string[]; keyId: string; expiresAt: Date | null };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string) => UUID.test(value);

/** Resolves the bearer key; 401 when missing, unknown, revoked or expired. */
export function authenticate(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new ApiError(401, 'UNAUTHENTICATED', 'Send an API key as "Authorization: Bearer <key>".');
    const key = match[1]!;
    const { deps } = c.var;
    if (sameKey(key, deps.config.adminApiKey)) {
      c.set('principal', { kind: 'platform' });
    } else {
      const stored = await findApiKeyByHash(deps.db, hashApiKey(key));
      if (!stored) throw new ApiError(401, 'UNAUTHENTICATED', 'The API key is not valid.');
      c.set('presentedKey', { id: stored.id, districtId: stored.districtId });
      if (stored.revokedAt) throw new ApiError(401, 'UNAUTHENTICATED', 'The API key was revoked.');
      if (stored.expired) throw new ApiError(401, 'UNAUTHENTICATED', 'The API key has expired.');
      if (stored.useStale) await recordApiKeyUse(deps.db, stored.id);
      c.set('principal', { kind: 'district', districtId: stored.districtId, rights: stored.rights, keyId: stored.id, expiresAt: stored.expiresAt });
    }
    await next();
  };
}

export function hasRight(principal: Principal, right: Right): boolean {
  return principal.kind === 'platform' || principal.rights.includes(right);
}

export function requireRight(c: Context<AppEnv>, right: Right): void {
  if (!hasRight(c.var.principal, right)) {
    throw new ApiError(403, 'RIGHT_REQUIRED', `This API key lacks the right "${right}".`, [{ message: `missing right ${right}`, right }]);
  }
}

export function requirePlatformAdmin(c: Context<AppEnv>): void {
  if (c.var.principal.kind !== 'platform') throw new ApiError(403, 'RIGHT_REQUIRED', 'Only the platform admin key may do this.');
}

/** The district a request acts on: the key's own, or X-District-Id for the platform admin key. */
export async function districtOf(c: Context<AppEnv>): Promise<string> {
  const principal = c.var.principal;
  if (principal.kind === 'district') return principal.districtId;
  const id = c.req.header('x-district-id');
  if (!id) throw new ApiError(422, 'DISTRICT_REQUIRED', 'The platform admin key must name the district in the X-District-Id header.');
  if (!isUuid(id) || !(await findDistrict(c.var.deps.db, id))) throw new ApiError(404, 'NOT_FOUND', 'District was not found.');
  c.set('actingDistrictId', id);
  return id;
}
