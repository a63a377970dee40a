import { z } from 'zod';
import { insertSchool, listSchools, SchoolCodeTakenError } from '../../db/queries/schools';
import { districtOf, requireRight } from '../auth';
import { ApiError } from '../errors';
import { schoolSchema } from '../response-schemas';
import { defineRoute, json, jsonBody, newRouter, problem, readRouteBody } from '../route-contract';
import { reply } from '../typed-reply';
import { schoolBody } from '../schemas';

const createSchool = {
  method: 'post',
  path: '/',
  summary: 'Create a school of the district (roster kind)',
  request: { body: jsonBody(schoolBody, 'SchoolBody') },
  responses: { 201: json('The school', schoolSchema), 409: problem('`SCHOOL_CODE_TAKEN`') },
} as const;

const listAll = {
  method: 'get',
  path: '/',
  summary: 'List schools',
  responses: { 200: json('The schools, by code', z.array(schoolSchema)) },
} as const;

export const schoolRoutes = newRouter();

defineRoute(schoolRoutes, createSchool, async (c) => {
  requireRight(c, 'imports.write');
  const districtId = await districtOf(c);
  const body = await readRouteBody(c, createSchool);
  try {
    return reply(c, createSchool, 201, await insertSchool(c.var.deps.db, districtId, body));
  } catch (error) {
    if (error instanceof SchoolCodeTakenError) throw new ApiError(409, 'SCHOOL_CODE_TAKEN', error.message, [{ field: 'code', message: 'already taken' }], { cause: error });
    throw error;
  }
});

defineRoute(schoolRoutes, listAll, async (c) => {
  requireRight(c, 'imports.read');
  const districtId = await districtOf(c);
  return reply(c, listAll, 200, await listSchools(c.var.deps.db, districtId));
});
