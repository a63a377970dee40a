import type { RosterOrderState } from './apply-rows';
import type { RosterStatus } from './codes';

export type AssociationPlan = { ok: true; orders: RosterOrderState[] } | { ok: false; code: 'MISSING_LICENSES' };

/**
 * Associating a student with an order (API set-up, for licences bought before the enterprise order):
 * an active student gives back the licence it holds and takes one of the target order's; a deactivated
 * one holds none. Returns the orders whose held count changes.
 */
export function planAssociation(
  orders: readonly RosterOrderState[],
  student: { status: RosterStatus | null; orderId: string | null },
  target: RosterOrderState,
  status: RosterStatus,
): AssociationPlan {
  const held = new Map(orders.map((o) => [o.id, o.held]));
  if (student.status === 'active' && student.orderId !== null) held.set(student.orderId, (held.get(student.orderId) ?? 0) - 1);
  if (status === 'active') {
    const after = (held.get(target.id) ?? 0) + 1;
    if (after > target.purchased) return { ok: false, code: 'MISSING_LICENSES' };
    held.set(target.id, after);
  }
  return { ok: true, orders: orders.filter((o) => held.get(o.id) !== o.held).map((o) => ({ ...o, held: held.get(o.id)! })) };
}
