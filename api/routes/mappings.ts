import { Hono } from 'hono';
import { findMapping, insertMapping, listMappings, type StoredMapping } from '../../db/queries/mappings';
import { eligibilityMappingSchema, isSchedulable } from '../../kinds/eligibility/mapping';
import { auditCreated } from '../audit';
import { districtOf, isUuid, requireRight } from '../auth';
import { notFound, readBody } from '../errors';
import type { AppEnv } from '../env';

const present = (m: StoredMapping) => ({ id: m.id, ...m.definition, schedulable: isSchedulable(m.definition), createdAt: m.createdAt });

export const mappingRoutes = new Hono<AppEnv>()
  .post('/', async (c) => {
    requireRight(c, 'imports.write');
    const districtId = await districtOf(c);
    const body = await readBody(c, eligibilityMappingSchema);
    const mapping = await insertMapping(c.var.deps.db, districtId, body);
    auditCreated(c, mapping.id);
    return c.json(present(mapping), 201);
  })
  .get('/', async (c) => {
    requireRight(c, 'imports.read');
    const districtId = await districtOf(c);
    return c.json((await listMappings(c.var.deps.db, districtId)).map(present));
  })
  .get('/:id', async (c) => {
    requireRight(c, 'imports.read');
    const districtId = await districtOf(c);
    const id = c.req.param('id');
    const mapping = isUuid(id) ? await findMapping(c.var.deps.db, districtId, id) : undefined;
    if (!mapping) throw notFound('Mapping');
    return c.json(present(mapping));
  });
