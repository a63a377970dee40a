import { Hono } from 'hono';
import { insertSchool, listSchools, SchoolCodeTakenError } from '../../db/queries/schools';
import { districtOf, requireRight } from '../auth';
import { ApiError, readBody } from '../errors';
import type { AppEnv } from '../env';
import { schoolBody } from '../schemas';

export const schoolRoutes = new Hono<AppEnv>()
  .post('/', async (c) => {
    requireRight(c, 'imports.write');
    const districtId = await districtOf(c);
    const body = await readBody(c, schoolBody);
    try {
      return c.json(await insertSchool(c.var.deps.db, districtId, body), 201);
    } catch (error) {
      if (error instanceof SchoolCodeTakenError) throw new ApiError(409, 'SCHOOL_CODE_TAKEN', error.message, [{ field: 'code', message: 'already taken' }], { cause: error });
      throw error;
    }
  })
  .get('/', async (c) => {
    requireRight(c, 'imports.read');
    const districtId = await districtOf(c);
    return c.json(await listSchools(c.var.deps.db, districtId));
  });
