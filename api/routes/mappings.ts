import { z } from 'zod';
import { findMapping, insertMapping, listMappings, type StoredMapping } from '../../db/queries/mappings';
import { eligibilityMappingSchema, isSchedulable } from '../../kinds/eligibility/mapping';
import { auditCreated } from '../audit';
import { districtOf, isUuid, requireRight } from '../auth';
import { notFound } from '../errors';
import { mappingSchema } from '../response-schemas';
import { defineRoute, json, jsonBody, newRouter, readRouteBody } from '../route-contract';
import { reply } from '../typed-reply';

const present = (m: StoredMapping) => ({ id: m.id, ...m.definition, schedulable: isSchedulable(m.definition), createdAt: m.createdAt });

const createMapping = {
  method: 'post',
  path: '/',
  summary: 'Create an eligibility mapping',
  request: { body: jsonBody(eligibilityMappingSchema, 'MappingBody') },
  responses: { 201: json('The mapping; `schedulable` when it maps both startDate and endDate', mappingSchema) },
} as const;

const listAll = {
  method: 'get',
  path: '/',
  summary: 'List mappings',
  responses: { 200: json('The mappings', z.array(mappingSchema)) },
} as const;

const getMapping = {
  method: 'get',
  path: '/{id}',
  summary: 'One mapping',
  request: { params: z.object({ id: z.uuid() }) },
  responses: { 200: json('The mapping', mappingSchema) },
} as const;

export const mappingRoutes = newRouter();

defineRoute(mappingRoutes, createMapping, async (c) => {
  requireRight(c, 'imports.write');
  const districtId = await districtOf(c);
  const body = await readRouteBody(c, createMapping);
  const mapping = await insertMapping(c.var.deps.db, districtId, body);
  auditCreated(c, mapping.id);
  return reply(c, createMapping, 201, present(mapping));
});

defineRoute(mappingRoutes, listAll, async (c) => {
  requireRight(c, 'imports.read');
  const districtId = await districtOf(c);
  return reply(c, listAll, 200, (await listMappings(c.var.deps.db, districtId)).map(present));
});

defineRoute(mappingRoutes, getMapping, async (c) => {
  requireRight(c, 'imports.read');
  const districtId = await districtOf(c);
  const id = c.req.param('id') ?? '';
  const mapping = isUuid(id) ? await findMapping(c.var.deps.db, districtId, id) : undefined;
  if (!mapping) throw notFound('Mapping');
  return reply(c, getMapping, 200, present(mapping));
});
