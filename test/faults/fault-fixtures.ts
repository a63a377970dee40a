import assert from 'node:assert/strict';
import type { ConnectionConfig } from '../../domain/connection';
import { withTransaction } from '../../db/pool';
import type { TestFileServer } from '../sources/file-server';
import { createEligibilityImport } from '../support/batch';
import { createDistrictWithKey, putServerFile, SHORT_HEADER_MAPPING } from '../support/fixtures';
import { startTestSystem, type TestSystem } from '../support/system';
import { startSshd, type TestSshd } from '../sources/sshd';
import { startThrottledRelay, type ThrottledRelay } from '../support/throttled-relay';

export const HEADER = 'ID,S,T,A,B';

/** An eligibility row for student `id` (header HEADER). */
export const eligibilityRow = (id: string) => `${id},F,D,08/01/2025,`;

/** The text of an eligibility file with one row per student. */
export const eligibilityFile = (ids: readonly string[]) => [HEADER, ...ids.map(eligibilityRow)].join('\n') + '\n';

/** Eligibility rows made long by a note column the mapping does not read: about 700 bytes each, each with its newline. */
export const paddedEligibilityRows = (ids: readonly string[]) => ids.map((id) => `${eligibilityRow(id)},${'x'.repeat(680)}\n`).join('');

/** A file of such rows under the header `HEADER,Note`. */
export const paddedEligibilityFile = (ids: readonly string[]) => `${HEADER},Note\n${paddedEligibilityRows(ids)}`;

/** Student numbers `<prefix>1` … `<prefix>n`. */
export const studentNumbers = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);

export interface FaultDistrict {
  key: string;
  districtId: string;
  mappingId: string;
}

/** A district with a data-team key, its students and an eligibility mapping for HEADER files. */
export async function faultDistrict(system: TestSystem, name: string, students: readonly string[]): Promise<FaultDistrict> {
  const { key, districtId } = await createDistrictWithKey(system, name);
  for (let at = 0; at < students.length; at += 5000) {
    const body = students.slice(at, at + 5000).map((studentNumber) => ({ studentNumber, firstName: 'F', lastName: 'L' }));
    const put = await system.call('PUT', '/api/students', { key, body });
    assert.equal(put.status, 200, put.text);
  }
  const mapping = await system.call('POST', '/api/mappings', { key, body: SHORT_HEADER_MAPPING });
  assert.equal(mapping.status, 201, mapping.text);
  return { key, districtId, mappingId: mapping.body.id };
}

/** An import of `district` reading `dir` on `server`, with `files` (name → content) put there first. */
export async function importReading(
  system: TestSystem,
  district: FaultDistrict,
  server: TestFileServer,
  dir: string,
  files: Record<string, string | Buffer>,
): Promise<string> {
  for (const [name, content] of Object.entries(files)) putServerFile(server, dir, name, content);
  return createEligibilityImport(system, district.key, { name: `Fault ${dir}`, mappingId: district.mappingId, connection: server.connection(dir) });
}

export async function startRun(system: TestSystem, key: string, importId: string): Promise<{ runId: string; workflowId: string }> {
  const started = await system.call('POST', `/api/imports/${importId}/run`, { key });
  assert.equal(started.status, 202, started.text);
  return started.body;
}

/**
 * Holds a student's row lock, so the chunk applying that student's row waits (heartbeating) until release().
 * The lock is held in the product's own transaction helper, so a fault that cuts the connection meets the
 * same code the worker and API use.
 */
export async function holdStudent(system: TestSystem, districtId: string, studentNumber: string): Promise<{ release(): Promise<void> }> {
  let locked!: () => void;
  let release!: () => void;
  const isLocked = new Promise<void>((resolve) => (locked = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  const holding = withTransaction(system.db, async (tx) => {
    const { rowCount } = await tx.query('select id from students where district_id = $1 and student_number = $2 for update', [districtId, studentNumber]);
    assert.equal(rowCount, 1, `no student ${studentNumber}`);
    locked();
    await released;
  });
  await Promise.race([isLocked, holding]);
  return {
    async release() {
      release();
      // the server may have ended this session itself (a restart), which releases the lock as well
      await holding.catch(() => undefined);
    },
  };
}

/** Rows applied so far, as GET /api/runs/:id shows them. */
export async function rowsApplied(system: TestSystem, key: string, runId: string): Promise<number> {
  const res = await system.call('GET', `/api/runs/${runId}`, { key });
  return res.body?.progress?.rowsApplied ?? 0;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The attempt that finished each activity of a workflow, by type: retries show as attempt 2 or more. */
/** Why each retried attempt of an activity type was retried: the failure type (an ApplicationFailure's code) or the timeout's kind. */
export async function retryCauses(system: TestSystem, workflowId: string, activityType: string): Promise<string[]> {
  const history = await system.client.workflow.getHandle(workflowId).fetchHistory();
  const typeOf = new Map<number, string>();
  const causes: string[] = [];
  for (const event of history.events ?? []) {
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled) typeOf.set(Number(event.eventId), scheduled.activityType?.name ?? '?');
    const started = event.activityTaskStartedEventAttributes;
    if (started?.lastFailure && typeOf.get(Number(started.scheduledEventId)) === activityType) {
      const failure = started.lastFailure;
      causes.push(failure.applicationFailureInfo?.type ?? (failure.timeoutFailureInfo ? `timeout ${failure.timeoutFailureInfo.timeoutType}` : (failure.message ?? '?')));
    }
  }
  return causes;
}

export async function activityAttempts(system: TestSystem, workflowId: string): Promise<Record<string, number[]>> {
  const history = await system.client.workflow.getHandle(workflowId).fetchHistory();
  const typeOf = new Map<number, string>();
  const attempts: Record<string, number[]> = {};
  for (const event of history.events ?? []) {
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled) typeOf.set(Number(event.eventId), scheduled.activityType?.name ?? '?');
    const started = event.activityTaskStartedEventAttributes;
    if (started) {
      const type = typeOf.get(Number(started.scheduledEventId)) ?? '?';
      (attempts[type] ??= []).push(started.attempt ?? 1);
    }
  }
  return attempts;
}

/** A test system and a real sshd behind a 2 MB/s relay: a download lasts long enough for a test to break it. */
export interface SlowLink {
  system: TestSystem;
  sshd: TestSshd;
  relay: ThrottledRelay;
  /** The sshd's connection to `dir`, through the relay. */
  connection(dir: string): ConnectionConfig;
  stop(): Promise<void>;
}

export async function startSlowLink(): Promise<SlowLink> {
  const [system, sshd] = await Promise.all([startTestSystem({ chunkSize: 4000, runReaperGraceSeconds: 30 }), startSshd()]);
  const relay = await startThrottledRelay(sshd, 2 * 1024 * 1024);
  return {
    system,
    sshd,
    relay,
    connection: (dir) => ({ ...sshd.connection(dir), host: relay.host, port: relay.port }),
    async stop() {
      await relay.stop();
      await sshd.stop();
      await system.stop();
    },
  };
}

/** Rows staged so far for a run (they commit while its files download). */
export async function stagedRows(system: TestSystem, runId: string): Promise<number> {
  const { rows } = await system.db.query<{ n: number }>('select count(*)::int as n from staged_rows where run_file_id in (select id from run_files where run_id = $1)', [runId]);
  return rows[0]!.n;
}
