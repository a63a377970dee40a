import { lockDistrictOrders, setOrdersHeld } from '../../db/queries/orders';
import {
  findDryRunUsernameOwners,
  loadDryRunOrders,
  loadDryRunStudents,
  seedDryRunOrders,
  seedDryRunStudents,
  writeDryRunOrders,
  writeDryRunStudents,
} from '../../db/queries/roster-dry-run';
import { findUsernameOwners, insertRosterStudents, lockRosterStudents, updateRosterStudents } from '../../db/queries/roster-students';
import type { DbClient } from '../../db/pool';
import type { AppliedStudent, RosterOrderState, RosterStudentState } from './apply-rows';

/** Where a roster chunk reads and writes: the real tables, or a dry run's private copy. */
export interface RosterScope {
  mode: 'test' | 'run';
  districtId: string;
  runId: string;
}

export interface RosterStore {
  /** Every order of the district; a real chunk locks them first (id order), before any student. */
  orders(): Promise<RosterOrderState[]>;
  /** The students with these numbers that exist; a real chunk locks them (id order). */
  students(studentNumbers: string[]): Promise<RosterStudentState[]>;
  usernameOwners(usernames: string[]): Promise<{ keys: Map<string, string>; owners: Map<string, string> }>;
  /** Writes what a chunk changed: three set statements at most, whatever the number of rows. */
  write(students: AppliedStudent[], orders: RosterOrderState[]): Promise<void>;
}

export function rosterStore(tx: DbClient, scope: RosterScope): RosterStore {
  const { districtId, runId } = scope;
  if (scope.mode === 'run') {
    return {
      orders: () => lockDistrictOrders(tx, districtId),
      students: (numbers) => lockRosterStudents(tx, districtId, numbers),
      usernameOwners: (usernames) => findUsernameOwners(tx, districtId, usernames),
      async write(students, orders) {
        await insertRosterStudents(tx, districtId, students.filter((s) => s.id === null));
        await updateRosterStudents(tx, districtId, students.filter((s) => s.id !== null));
        await setOrdersHeld(tx, districtId, orders);
      },
    };
  }
  return {
    async orders() {
      await seedDryRunOrders(tx, runId, districtId);
      return loadDryRunOrders(tx, runId);
    },
    async students(numbers) {
      await seedDryRunStudents(tx, runId, districtId, numbers);
      return loadDryRunStudents(tx, runId, numbers);
    },
    usernameOwners: (usernames) => findDryRunUsernameOwners(tx, runId, districtId, usernames),
    async write(students, orders) {
      await writeDryRunStudents(tx, runId, students);
      await writeDryRunOrders(tx, runId, orders);
    },
  };
}
