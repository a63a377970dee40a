import { withTransaction, type Db } from '../../db/pool';
import type { ConnectionConfig } from '../../domain/connection';
import { claimRunFile } from '../../db/queries/run-files';
import { applyRosterChunk, type RosterChunk, type RosterChunkResult } from '../../kinds/students/apply-chunk';
import type { RosterStagedRow } from '../../kinds/students/row';
import { createDistrictWithKey, DATA_TEAM_RIGHTS } from './fixtures';
import type { TestSystem } from './system';

export interface RosterDistrict {
  districtId: string;
  key: string;
  enterpriseOrderId: string;
  /** Regular orders by school code. */
  regularOrderIds: Record<string, string>;
}

/** A district set up through the API: schools, the enterprise order and regular orders of some schools. */
export async function createRosterDistrict(
  system: TestSystem,
  name: string,
  setup: { schools: string[]; enterpriseLicenses: number; regularLicenses?: Record<string, number> },
  rights: string[] = DATA_TEAM_RIGHTS,
): Promise<RosterDistrict> {
  const { districtId, key } = await createDistrictWithKey(system, name, 'UTC', rights);
  const as = { headers: { 'x-district-id': districtId } };
  for (const code of setup.schools) {
    const school = await system.call('POST', '/api/schools', { ...as, body: { code, name: `School ${code}` } });
    if (school.status !== 201) throw new Error(`creating school ${code}: ${school.text}`);
  }
  const enterprise = await system.call('POST', '/api/orders', { ...as, body: { kind: 'enterprise', licenses: setup.enterpriseLicenses } });
  if (enterprise.status !== 201) throw new Error(`creating the enterprise order: ${enterprise.text}`);
  const regularOrderIds: Record<string, string> = {};
  for (const [schoolCode, licenses] of Object.entries(setup.regularLicenses ?? {})) {
    const order = await system.call('POST', '/api/orders', { ...as, body: { kind: 'regular', schoolCode, licenses } });
    if (order.status !== 201) throw new Error(`creating a regular order for ${schoolCode}: ${order.text}`);
    regularOrderIds[schoolCode] = order.body.id;
  }
  return { districtId, key, enterpriseOrderId: enterprise.body.id, regularOrderIds };
}

/** A students import of the district reading `connection` (its trust pin included), made through the API; returns its id. */
export async function createRosterImport(
  system: TestSystem,
  district: RosterDistrict,
  connection: ConnectionConfig,
  options: { name?: string; notify?: { emails: string[] } } = {},
): Promise<string> {
  const body = { name: options.name ?? 'Nightly Roster', kind: 'students', active: true, connection, ...(options.notify ? { notify: options.notify } : {}) };
  const created = await system.call('POST', '/api/imports', { key: district.key, body });
  if (created.status !== 201) throw new Error(`creating a students import: ${created.text}`);
  return created.body.id;
}

/**
 * Students that exist before a roster import, made through the API: `status` null leaves one known
 * only to eligibility; otherwise it is associated with `orderId`.
 */
export async function addStudents(
  system: TestSystem,
  district: RosterDistrict,
  students: { studentNumber: string; status?: 'active' | 'deactivated' | null; orderId?: string }[],
): Promise<void> {
  if (students.length === 0) return;
  const as = { headers: { 'x-district-id': district.districtId } };
  const put = await system.call('PUT', '/api/students', { ...as, body: students.map((s) => ({ studentNumber: s.studentNumber, firstName: 'Old', lastName: 'Name' })) });
  if (put.status !== 200) throw new Error(`adding students: ${put.text}`);
  for (const s of students) {
    if (!s.status) continue;
    const res = await system.call('POST', `/api/orders/${s.orderId ?? district.enterpriseOrderId}/students`, { ...as, body: { studentNumber: s.studentNumber, status: s.status } });
    if (res.status !== 200) throw new Error(`associating ${s.studentNumber}: ${res.text}`);
  }
}

/** A run of no import (the pipeline is not the subject) with one file, as a roster chunk needs them. */
export async function beginRosterRun(db: Db, districtId: string, mode: 'test' | 'run'): Promise<{ runId: string; runFileId: string }> {
  const { rows } = await db.query<{ id: string }>(
    `insert into runs (district_id, import_name, kind, mode, trigger, status, workflow_id) values ($1, 'roster test', 'students', $2, 'manual', 'running', gen_random_uuid()::text) returning id`,
    [districtId, mode],
  );
  const runId = rows[0]!.id;
  const runFile = await claimRunFile(db, { runId, ordinal: 0, name: 'students.csv', size: 0, modifiedAt: new Date() });
  return { runId, runFileId: runFile.id };
}

/** Lines of a roster file (without the header) as staged rows; the first one is on `firstLine`. */
export function stagedRosterRows(lines: string[], firstLine = 2): RosterStagedRow[] {
  return lines.map((text, i) => ({ line: firstLine + i, fields: text.split(','), problemCode: null, problemMessage: null }));
}

/** A roster row of school `school` for student `id`, with status `status`. */
export const rosterLine = (id: string, status: string, school = 'LHS', username = '') => `${school},${id},Last${id},First${id},5,01/02/2014,${username},${status}`;

export function applyChunk(db: Db, chunk: RosterChunk): Promise<RosterChunkResult> {
  return withTransaction(db, (tx) => applyRosterChunk(tx, chunk));
}

/** Every broken licence rule of a district's roster, as sentences; [] when the books balance. */
export async function licenceViolations(db: Db, districtId: string): Promise<string[]> {
  const { rows } = await db.query<{ problem: string }>(
    `select format('order %s: held %s, purchased %s, active students %s', o.id, o.held, o.purchased,
              (select count(*) from students s where s.order_id = o.id and s.status = 'active')) as problem
     from orders o where o.district_id = $1
       and (o.held < 0 or o.held > o.purchased
            or o.held <> (select count(*) from students s where s.order_id = o.id and s.status = 'active'))
     union all
     select format('student %s: status %s, order %s', s.student_number, s.status, s.order_id)
     from students s where s.district_id = $1 and (s.status is null) <> (s.order_id is null)`,
    [districtId],
  );
  return rows.map((r) => r.problem);
}

/** The roster state of a district's students and orders, to compare before and after. */
export async function rosterSnapshot(db: Db, districtId: string): Promise<unknown> {
  const students = await db.query(
    `select student_number, first_name, last_name, school_code, grade, birth_date, username, status, order_id
     from students where district_id = $1 order by student_number`,
    [districtId],
  );
  const orders = await db.query('select id, held, purchased from orders where district_id = $1 order by id', [districtId]);
  return { students: students.rows, orders: orders.rows };
}
