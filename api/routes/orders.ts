import { z } from 'zod';
import { withTransaction } from '../../db/pool';
import { EnterpriseOrderExistsError, findOrder, insertOrder, listOrders, type StoredOrder } from '../../db/queries/orders';
import { findSchoolCodes } from '../../db/queries/schools';
import { associateStudent, MissingLicensesError, OrderNotFoundError, StudentNotFoundError } from '../../kinds/students/associate-student';
import { districtOf, isUuid, requireRight } from '../auth';
import { ApiError, notFound } from '../errors';
import { associationSchema, orderSchema } from '../response-schemas';
import { defineRoute, json, jsonBody, newRouter, problem, readRouteBody } from '../route-contract';
import { reply } from '../typed-reply';
import { orderBody, orderStudentBody } from '../schemas';

const present = (o: StoredOrder) => ({ id: o.id, kind: o.kind, schoolCode: o.schoolCode, purchased: o.purchased, held: o.held, free: o.purchased - o.held });

const createOrder = {
  method: 'post',
  path: '/',
  summary: 'Create a licence order: the one enterprise order (no school; its free licences are the holding bin) or a regular order of a school',
  request: { body: jsonBody(orderBody, 'OrderBody') },
  responses: {
    201: json('The order', orderSchema),
    409: problem('`ENTERPRISE_ORDER_EXISTS`'),
    422: problem('`VALIDATION_FAILED` (details name the field), or `SCHOOL_NOT_FOUND`'),
  },
} as const;

const listAll = {
  method: 'get',
  path: '/',
  summary: 'List orders, the enterprise order first',
  responses: { 200: json('The orders', z.array(orderSchema)) },
} as const;

const associate = {
  method: 'post',
  path: '/{id}/students',
  summary: 'Associate an existing student with the order; an active one takes one of its licences and gives back the one it held',
  request: { params: z.object({ id: z.uuid() }), body: jsonBody(orderStudentBody, 'OrderStudentBody') },
  responses: {
    200: json('The association and the order as it is now', associationSchema),
    404: problem('No such order or student in the district'),
    409: problem('`MISSING_LICENSES`: the order has no free licence'),
  },
} as const;

export const orderRoutes = newRouter();

defineRoute(orderRoutes, createOrder, async (c) => {
  requireRight(c, 'imports.write');
  const districtId = await districtOf(c);
  const body = await readRouteBody(c, createOrder);
  const schoolCode = body.schoolCode ?? null;
  if (schoolCode !== null && !(await findSchoolCodes(c.var.deps.db, districtId, [schoolCode])).has(schoolCode)) {
    throw new ApiError(422, 'SCHOOL_NOT_FOUND', `The district has no school with code ${JSON.stringify(schoolCode)}; create it with POST /api/schools first.`, [
      { field: 'schoolCode', message: 'no such school' },
    ]);
  }
  try {
    return reply(c, createOrder, 201, present(await insertOrder(c.var.deps.db, districtId, { kind: body.kind, schoolCode, purchased: body.licenses })));
  } catch (error) {
    if (error instanceof EnterpriseOrderExistsError) throw new ApiError(409, 'ENTERPRISE_ORDER_EXISTS', error.message, [], { cause: error });
    throw error;
  }
});

defineRoute(orderRoutes, listAll, async (c) => {
  requireRight(c, 'imports.read');
  const districtId = await districtOf(c);
  return reply(c, listAll, 200, (await listOrders(c.var.deps.db, districtId)).map(present));
});

defineRoute(orderRoutes, associate, async (c) => {
  requireRight(c, 'imports.write');
  const districtId = await districtOf(c);
  const orderId = c.req.param('id') ?? '';
  // before the body is read: another district's order is 404 whatever the body, never a validation error
  if (!isUuid(orderId) || !(await findOrder(c.var.deps.db, districtId, orderId))) throw notFound('Order');
  const body = await readRouteBody(c, associate);
  try {
    const result = await withTransaction(c.var.deps.db, (tx) => associateStudent(tx, districtId, { orderId, ...body }));
    return reply(c, associate, 200, { studentNumber: result.studentNumber, status: result.status, orderId: result.orderId, order: present(result.order) });
  } catch (error) {
    if (error instanceof OrderNotFoundError) throw notFound('Order');
    if (error instanceof StudentNotFoundError) throw notFound('Student');
    if (error instanceof MissingLicensesError) throw new ApiError(409, 'MISSING_LICENSES', error.message, [], { cause: error });
    throw error;
  }
});
