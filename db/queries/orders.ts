import type { OrderKind } from '../../kinds/students/codes';
import type { Queryable } from './queryable';

export interface StoredOrder {
  id: string;
  kind: OrderKind;
  /** null for the enterprise order: its free licences are the district's holding bin. */
  schoolCode: string | null;
  purchased: number;
  held: number;
}

export class EnterpriseOrderExistsError extends Error {
  override readonly name = 'EnterpriseOrderExistsError';
}

const COLUMNS = 'id, kind, school_code as "schoolCode", purchased, held';

export async function insertOrder(db: Queryable, districtId: string, order: { kind: OrderKind; schoolCode: string | null; purchased: number }): Promise<StoredOrder> {
  try {
    const { rows } = await db.query<StoredOrder>(
      `insert into orders (district_id, kind, school_code, purchased) values ($1, $2, $3, $4) returning ${COLUMNS}`,
      [districtId, order.kind, order.schoolCode, order.purchased],
    );
    return rows[0]!;
  } catch (error) {
    if ((error as { constraint?: string }).constraint === 'orders_one_enterprise') {
      throw new EnterpriseOrderExistsError('The district already has its enterprise order.', { cause: error });
    }
    throw error;
  }
}

export async function findOrder(db: Queryable, districtId: string, id: string): Promise<StoredOrder | undefined> {
  const { rows } = await db.query<StoredOrder>(`select ${COLUMNS} from orders where district_id = $1 and id = $2`, [districtId, id]);
  return rows[0];
}

/** The enterprise order first, then regular orders in the order they were made. */
export async function listOrders(db: Queryable, districtId: string): Promise<StoredOrder[]> {
  const { rows } = await db.query<StoredOrder>(
    `select ${COLUMNS} from orders where district_id = $1 order by kind = 'enterprise' desc, created_at, id`,
    [districtId],
  );
  return rows;
}

/**
 * Locks all the district's orders, in id order. Whatever changes licences takes these locks first and
 * only then locks students (also in id order), so roster imports and the API never deadlock each other.
 */
export async function lockDistrictOrders(db: Queryable, districtId: string): Promise<StoredOrder[]> {
  const { rows } = await db.query<StoredOrder>(`select ${COLUMNS} from orders where district_id = $1 order by id for update`, [districtId]);
  return rows;
}

export async function setOrdersHeld(db: Queryable, districtId: string, orders: { id: string; held: number }[]): Promise<void> {
  if (orders.length === 0) return;
  await db.query(
    `update orders o set held = u.held from jsonb_to_recordset($2::jsonb) as u(id uuid, held int) where o.district_id = $1 and o.id = u.id`,
    [districtId, JSON.stringify(orders.map((o) => ({ id: o.id, held: o.held })))],
  );
}
