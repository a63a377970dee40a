import type { DbClient } from '../../db/pool';
import { lockDistrictOrders, setOrdersHeld, type StoredOrder } from '../../db/queries/orders';
import { lockRosterStudents, setStudentAssociation } from '../../db/queries/roster-students';
import { planAssociation } from './association';
import type { RosterStatus } from './codes';

export class OrderNotFoundError extends Error {
  override readonly name = 'OrderNotFoundError';
}
export class StudentNotFoundError extends Error {
  override readonly name = 'StudentNotFoundError';
}
export class MissingLicensesError extends Error {
  override readonly name = 'MissingLicensesError';
}

/**
 * Associates an existing student of the district with one of its orders, in the caller's transaction.
 * Locks the district's orders, then the student (the lock order every licence change follows).
 */
export async function associateStudent(
  tx: DbClient,
  districtId: string,
  request: { orderId: string; studentNumber: string; status: RosterStatus },
): Promise<{ studentNumber: string; status: RosterStatus; orderId: string; order: StoredOrder }> {
  const orders = await lockDistrictOrders(tx, districtId);
  const target = orders.find((o) => o.id === request.orderId);
  if (!target) throw new OrderNotFoundError('Order was not found.');
  const [student] = await lockRosterStudents(tx, districtId, [request.studentNumber]);
  if (!student) throw new StudentNotFoundError('Student was not found.');
  const plan = planAssociation(orders, student, target, request.status);
  if (!plan.ok) throw new MissingLicensesError(`The order has no free licence (${String(target.held)} of ${String(target.purchased)} are held).`);
  await setOrdersHeld(tx, districtId, plan.orders);
  await setStudentAssociation(tx, districtId, student.id, request.status, target.id);
  const order = plan.orders.find((o) => o.id === target.id) ?? target;
  return { studentNumber: student.studentNumber, status: request.status, orderId: target.id, order: { ...target, held: order.held } };
}
