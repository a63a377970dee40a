import { Hono, type Context } from 'hono';
import { insertApiKey, listApiKeys, revokeApiKey, type StoredApiKey } from '../../db/queries/api-keys';
import { findDistrict, insertDistrict } from '../../db/queries/districts';
import { generateApiKey } from '../../security/api-keys';
import { auditCreated } from '../audit';
import { isUuid, requirePlatformAdmin, requireRight, type Principal } from '../auth';
import { ApiError, notFound, readBody } from '../errors';
import type { AppEnv } from '../env';
import { districtBody, keyBody } from '../schemas';

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

export const districtRoutes = new Hono<AppEnv>()
  .post('/', async (c) => {
    requirePlatformAdmin(c);
    const body = await readBody(c, districtBody);
    const district = await insertDistrict(c.var.deps.db, body);
    c.set('actingDistrictId', district.id);
    auditCreated(c, district.id);
    return c.json({ id: district.id, name: district.name, timeZone: district.timeZone }, 201);
  })
  .post('/:id/keys', async (c) => {
    const districtId = await keyDistrict(c);
    const body = await readBody(c, keyBody);
    const principal = c.var.principal;
    if (principal.kind === 'district') {
      const beyond = body.rights.filter((r) => !principal.rights.includes(r));
      if (beyond.length > 0) throw new ApiError(403, 'RIGHT_REQUIRED', `A key cannot grant rights it lacks itself: ${beyond.join(', ')}.`);
    }
    checkExpiry(principal, body.expiresAt);
    const { key, hash } = generateApiKey();
    const stored = await insertApiKey(c.var.deps.db, { districtId, name: body.name, hash, rights: body.rights, expiresAt: body.expiresAt ?? null });
    auditCreated(c, stored.id);
    return c.json({ id: stored.id, name: stored.name, key, rights: stored.rights, expiresAt: stored.expiresAt }, 201);
  })
  .get('/:id/keys', async (c) => {
    const districtId = await keyDistrict(c);
    return c.json((await listApiKeys(c.var.deps.db, districtId)).map(presentKey));
  })
  // Any keys.manage key may revoke any key of its district, itself included; the row stays, marked revoked.
  .delete('/:id/keys/:keyId', async (c) => {
    const districtId = await keyDistrict(c);
    const keyId = c.req.param('keyId');
    if (!isUuid(keyId) || !(await revokeApiKey(c.var.deps.db, districtId, keyId))) throw notFound('API key');
    return c.body(null, 204);
  });
