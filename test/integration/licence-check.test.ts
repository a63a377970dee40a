import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRosterDistrict, type RosterDistrict } from '../support/roster';
import { startTestSystem, type TestSystem } from '../support/system';

/**
 * Migration 022 queues the licence check once per statement and order instead of once per student row: at commit,
 * every order a transaction touched through a student's insert, update or delete still holds exactly one licence per
 * active student, and the queue keeps nothing once the transaction has ended.
 */
describe('licences checked at commit, queued per statement', () => {
  let system: TestSystem;
  let district: RosterDistrict;
  let regular = '';
  let students = 0;

  before(async () => {
    system = await startTestSystem();
    district = await createRosterDistrict(system, 'Licence Check USD', { schools: ['L1'], enterpriseLicenses: 20, regularLicenses: { L1: 20 } });
    regular = district.regularOrderIds.L1!;
  });
  after(() => system?.stop());

  /** Runs the statements in one transaction; answers the constraint that refused it at commit, or null. */
  const commit = async (...statements: [string, unknown[]][]) => {
    const client = await system.db.connect();
    try {
      await client.query('begin');
      for (const [sql, params] of statements) await client.query(sql, params);
      await client.query('commit');
      return null;
    } catch (error) {
      await client.query('rollback').catch(() => {});
      return (error as { constraint?: string }).constraint ?? String(error);
    } finally {
      client.release();
    }
  };
  const insertActive = (number: string, orderId: string): [string, unknown[]] => [
    `insert into students (district_id, student_number, first_name, last_name, school_code, status, order_id) values ($1, $2, 'F', 'L', 'L1', 'active', $3)`,
    [district.districtId, number, orderId],
  ];
  const held = (orderId: string, change: number): [string, unknown[]] => ['update orders set held = held + $2 where id = $1', [orderId, change]];
  const newActive = async (orderId: string) => {
    const number = `LC${++students}`;
    assert.equal(await commit(insertActive(number, orderId), held(orderId, 1)), null);
    return number;
  };
  const queued = async () => (await system.db.query<{ n: number }>('select count(*)::int as n from roster_orders_to_verify')).rows[0]!.n;

  it('refuses inserting an active student whose order does not count it', async () => {
    assert.equal(await commit(insertActive(`LC${++students}`, district.enterpriseOrderId)), 'orders_held_is_active_students');
  });

  it('refuses deleting an active student whose order still counts it', async () => {
    const number = await newActive(district.enterpriseOrderId);
    assert.equal(await commit(['delete from students where district_id = $1 and student_number = $2', [district.districtId, number]]), 'orders_held_is_active_students');
  });

  it('refuses moving an active student to another order when only the new order counts it', async () => {
    const number = await newActive(district.enterpriseOrderId);
    const move: [string, unknown[]] = ['update students set order_id = $3 where district_id = $1 and student_number = $2', [district.districtId, number, regular]];
    assert.equal(await commit(move, held(regular, 1)), 'orders_held_is_active_students');
    assert.equal(await commit(move, held(regular, 1), held(district.enterpriseOrderId, -1)), null);
  });

  it('commits a statement of many students whose order counts them all', async () => {
    const numbers = Array.from({ length: 5 }, () => `LC${++students}`);
    const insert: [string, unknown[]] = [
      `insert into students (district_id, student_number, first_name, last_name, school_code, status, order_id)
       select $1, n, 'F', 'L', 'L1', 'active', $3 from unnest($2::text[]) n`,
      [district.districtId, numbers, regular],
    ];
    assert.equal(await commit(insert, held(regular, 4)), 'orders_held_is_active_students');
    assert.equal(await commit(insert, held(regular, 5)), null);
  });

  it('keeps no queued order once a transaction has committed or rolled back', async () => {
    await newActive(regular);
    await commit(insertActive(`LC${++students}`, regular));
    assert.equal(await queued(), 0);
  });
});
