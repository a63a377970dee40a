import type { Context } from 'hono';
import { z } from 'zod';
import { insertApiKey, listApiKeys, revokeApiKey, type StoredApiKey } from '../../db/queries/api-keys';
import { findDistrict, insertDistrict } from '../../db/queries/districts';
import { generateApiKey } from '../../security/api-keys';
import { auditCreated } from '../audit';
import { isUuid, requirePlatformAdmin, requireRight, type Principal } from '../auth';
import { ApiError, notFound } from '../errors';
import type { AppEnv } from '../env';
import { apiKeySchema, createdKeySchema, districtSchema } from '../response-schemas';
import { defineRoute, json, jsonBody, newRouter, problem, readRouteBody } from '../route-contract';
import { reply } from '../typed-reply';
import { districtBody, keyBody, MAX_KEY_LIFETIME_DAYS } from '../schemas';

/** The district whose keys a request manages: needs keys.manage; another district's id reads as not found, never as forbidden. */
async function keyDistrict(c: Context<AppEnv>): Promise<string> {
  const districtId = c.req.param('id') ?? '';
  const principal = c.var.principal;
  if (principal.kind === 'district' && principal.districtId !== districtId) throw notFound('District');
  requireRight(c, 'keys.manage');
  if (!isUuid(districtId) || !(await findDistrict(c.var.deps.db, districtId))) throw notFound('District');
  c.set('actingDistrictId', districtId);
  return districtId;
}

/** A key cannot make a key that outlives it, just as it cannot grant rights it lacks. */
function checkExpiry(principal: Principal, expiresAt: Date | undefined): void {
  if (principal.kind !== 'district' || !principal.expiresAt) return;
  if (!expiresAt || expiresAt > principal.expiresAt) {
    const message = `must be set, and no later than this key's own expiry ${principal.expiresAt.toISOString()}`;
    throw new ApiError(422, 'VALIDATION_FAILED', `expiresAt: ${message}.`, [{ field: 'expiresAt', message }]);
  }
}

const presentKey = (k: StoredApiKey) => ({
  id: k.id,
  name: k.name,
  rights: k.rights,
  createdAt: k.createdAt,
  lastUsedAt: k.lastUsedAt,
  expiresAt: k.expiresAt,
  revokedAt: k.revokedAt,
});

const districtParam = z.object({ id: z.uuid() });
const notFoundDistrict = problem('No such district, or another district’s');

const createDistrict = {
  method: 'post',
  path: '/',
  summary: 'Create a district (platform admin)',
  request: { body: jsonBody(districtBody, 'DistrictBody') },
  responses: { 201: json('The district', districtSchema), 403: problem('Only the platform admin key may (`RIGHT_REQUIRED`)') },
} as const;

const createKey = {
  method: 'post',
  path: '/{id}/keys',
  summary: `Create an API key (shown once); \`expiresAt\` at most ${MAX_KEY_LIFETIME_DAYS} days ahead, and no later than the calling key's own`,
  request: { params: districtParam, body: jsonBody(keyBody, 'KeyBody') },
  responses: {
    201: json('The key, with the key itself this once', createdKeySchema),
    403: problem('`RIGHT_REQUIRED`: the key lacks `keys.manage`, or would grant a right it lacks'),
    404: notFoundDistrict,
  },
} as const;

const listKeys = {
  method: 'get',
  path: '/{id}/keys',
  summary: 'The district’s API keys, revoked ones too; never the key or its hash',
  request: { params: districtParam },
  responses: { 200: json('The keys; `lastUsedAt` is updated at most once a minute', z.array(apiKeySchema)), 404: notFoundDistrict },
} as const;

const revokeKey = {
  method: 'delete',
  path: '/{id}/keys/{keyId}',
  summary: 'Revoke an API key (any key of the district, the calling key too): it answers 401 from then on',
  request: { params: districtParam.extend({ keyId: z.uuid() }) },
  responses: { 204: { description: 'Revoked (again: still 204); the key stays listed with `revokedAt`' }, 404: problem('No such district or key') },
} as const;

export const districtRoutes = newRouter();

defineRoute(districtRoutes, createDistrict, async (c) => {
  requirePlatformAdmin(c);
  const body = await readRouteBody(c, createDistrict);
  const district = await insertDistrict(c.var.deps.db, body);
  c.set('actingDistrictId', district.id);
  auditCreated(c, district.id);
  return reply(c, createDistrict, 201, { id: district.id, name: district.name, timeZone: district.timeZone });
});

defineRoute(districtRoutes, createKey, async (c) => {
  const districtId = await keyDistrict(c);
  const body = await readRouteBody(c, createKey);
  const principal = c.var.principal;
  if (principal.kind === 'district') {
    const beyond = body.rights.filter((r) => !principal.rights.includes(r));
    if (beyond.length > 0) throw new ApiError(403, 'RIGHT_REQUIRED', `A key cannot grant rights it lacks itself: ${beyond.join(', ')}.`);
  }
  checkExpiry(principal, body.expiresAt);
  const { key, hash } = generateApiKey();
  const stored = await insertApiKey(c.var.deps.db, { districtId, name: body.name, hash, rights: body.rights, expiresAt: body.expiresAt ?? null });
  auditCreated(c, stored.id);
  return reply(c, createKey, 201, { id: stored.id, name: stored.name, key, rights: stored.rights, expiresAt: stored.expiresAt });
});

defineRoute(districtRoutes, listKeys, async (c) => {
  const districtId = await keyDistrict(c);
  return reply(c, listKeys, 200, (await listApiKeys(c.var.deps.db, districtId)).map(presentKey));
});

// Any keys.manage key may revoke any key of its district, itself included; the row stays, marked revoked.
defineRoute(districtRoutes, revokeKey, async (c) => {
  const districtId = await keyDistrict(c);
  const keyId = c.req.param('keyId') ?? '';
  if (!isUuid(keyId) || !(await revokeApiKey(c.var.deps.db, districtId, keyId))) throw notFound('API key');
  return c.body(null, 204);
});
