import { Hono } from 'hono';
import { insertApiKey } from '../../db/queries/api-keys';
import { findDistrict, insertDistrict } from '../../db/queries/districts';
import { generateApiKey } from '../../security/api-keys';
import { isUuid, requirePlatformAdmin, requireRight } from '../auth';
import { ApiError, notFound, readBody } from '../errors';
import type { AppEnv } from '../env';
import { districtBody, keyBody } from '../schemas';

export const districtRoutes = new Hono<AppEnv>()
  .post('/', async (c) => {
    requirePlatformAdmin(c);
    const body = await readBody(c, districtBody);
    const district = await insertDistrict(c.var.deps.db, body);
    return c.json({ id: district.id, name: district.name, timeZone: district.timeZone }, 201);
  })
  .post('/:id/keys', async (c) => {
    const districtId = c.req.param('id');
    const principal = c.var.principal;
    // another district's id reads as not found, never as forbidden
    if (principal.kind === 'district' && principal.districtId !== districtId) throw notFound('District');
    requireRight(c, 'keys.manage');
    if (!isUuid(districtId) || !(await findDistrict(c.var.deps.db, districtId))) throw notFound('District');
    const body = await readBody(c, keyBody);
    if (principal.kind === 'district') {
      const beyond = body.rights.filter((r) => !principal.rights.includes(r));
      if (beyond.length > 0) throw new ApiError(403, 'RIGHT_REQUIRED', `A key cannot grant rights it lacks itself: ${beyond.join(', ')}.`);
    }
    const { key, hash } = generateApiKey();
    const stored = await insertApiKey(c.var.deps.db, { districtId, name: body.name, hash, rights: body.rights });
    return c.json({ id: stored.id, name: stored.name, key, rights: stored.rights }, 201);
  });
