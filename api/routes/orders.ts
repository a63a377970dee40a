import { Hono } from 'hono';
import { withTransaction } from '../../db/pool';
import { EnterpriseOrderExistsError, findOrder, insertOrder, listOrders, type StoredOrder } from '../../db/queries/orders';
import { findSchoolCodes } from '../../db/queries/schools';
import { associateStudent, MissingLicensesError, OrderNotFoundError, StudentNotFoundError } from '../../kinds/students/associate-student';
import { districtOf, isUuid, requireRight } from '../auth';
import { ApiError, notFound, readBody } from '../errors';
import type { AppEnv } from '../env';
import { orderBody, orderStudentBody } from '../schemas';

const present = (o: StoredOrder) => ({ id: o.id, kind: o.kind, schoolCode: o.schoolCode, purchased: o.purchased, held: o.held, free: o.purchased - o.held });

export const orderRoutes = new Hono<AppEnv>()
  .post('/', async (c) => {
    requireRight(c, 'imports.write');
    const districtId = await districtOf(c);
    const body = await readBody(c, orderBody);
    const schoolCode = body.schoolCode ?? null;
    if (schoolCode !== null && !(await findSchoolCodes(c.var.deps.db, districtId, [schoolCode])).has(schoolCode)) {
      throw new ApiError(422, 'SCHOOL_NOT_FOUND', `The district has no school with code ${JSON.stringify(schoolCode)}; create it with POST /api/schools first.`, [
        { field: 'schoolCode', message: 'no such school' },
      ]);
    }
    try {
      return c.json(present(await insertOrder(c.var.deps.db, districtId, { kind: body.kind, schoolCode, purchased: body.licenses })), 201);
    } catch (error) {
      if (error instanceof EnterpriseOrderExistsError) throw new ApiError(409, 'ENTERPRISE_ORDER_EXISTS', error.message, [], { cause: error });
      throw error;
    }
  })
  .get('/', async (c) => {
    requireRight(c, 'imports.read');
    const districtId = await districtOf(c);
    return c.json((await listOrders(c.var.deps.db, districtId)).map(present));
  })
  .post('/:id/students', async (c) => {
    requireRight(c, 'imports.write');
    const districtId = await districtOf(c);
    const orderId = c.req.param('id');
    // before the body is read: another district's order is 404 whatever the body, never a validation error
    if (!isUuid(orderId) || !(await findOrder(c.var.deps.db, districtId, orderId))) throw notFound('Order');
    const body = await readBody(c, orderStudentBody);
    try {
      const result = await withTransaction(c.var.deps.db, (tx) => associateStudent(tx, districtId, { orderId, ...body }));
      return c.json({ studentNumber: result.studentNumber, status: result.status, orderId: result.orderId, order: present(result.order) });
    } catch (error) {
      if (error instanceof OrderNotFoundError) throw notFound('Order');
      if (error instanceof StudentNotFoundError) throw notFound('Student');
      if (error instanceof MissingLicensesError) throw new ApiError(409, 'MISSING_LICENSES', error.message, [], { cause: error });
      throw error;
    }
  });
