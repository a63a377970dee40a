import { chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestFileServer } from '../sources/file-server';
import { waitForRun, type TestSystem } from './system';
import { ensureTestUser } from './unix-user';

/** A minimal mapping for files with the header `ID,S,T,A,B` (id, eligibility, type, start, end). */
export const SHORT_HEADER_MAPPING = {
  name: 'm',
  schoolYear: 2026,
  format: 'csv',
  dateFormat: 'MM/DD/YYYY',
  identifier: 'studentNumber',
  columns: { studentNumber: 'ID', eligibility: 'S', certifiedType: 'T', startDate: 'A', endDate: 'B' },
} as const;

/** The same, for files with the header `ID,Status,Type,Start,End`. */
export const WORD_HEADER_MAPPING = {
  ...SHORT_HEADER_MAPPING,
  columns: { studentNumber: 'ID', eligibility: 'Status', certifiedType: 'Type', startDate: 'Start', endDate: 'End' },
} as const;

export const DATA_TEAM_RIGHTS = ['imports.read', 'imports.write', 'imports.run', 'reports.read'];
export const BATCH_RIGHTS = ['batch.submit', 'batch.setPriority', 'batch.setExpiration'];

/** A district and a key for its data team, made through the API as the platform admin would. */
export async function createDistrictWithKey(
  system: TestSystem,
  name: string,
  timeZone = 'UTC',
  rights: string[] = DATA_TEAM_RIGHTS,
): Promise<{ districtId: string; key: string; keyId: string }> {
  const district = await system.call('POST', '/api/districts', { body: { name, timeZone } });
  if (district.status !== 201) throw new Error(`creating district ${name}: ${district.text}`);
  const { key, keyId } = await issueKey(system, district.body.id, 'data team', rights);
  return { districtId: district.body.id, key, keyId };
}

/** Another key of a district, issued by the platform admin. */
export async function issueKey(system: TestSystem, districtId: string, name: string, rights: readonly string[]): Promise<{ key: string; keyId: string }> {
  const res = await system.call('POST', `/api/districts/${districtId}/keys`, { body: { name, rights } });
  if (res.status !== 201) throw new Error(`creating key ${name}: ${res.text}`);
  return { key: res.body.key, keyId: res.body.id };
}

/** A directory below the server's root, owned by the login user; returns its local path. */
export function makeServerDir(server: TestFileServer, dir: string): string {
  const user = ensureTestUser();
  const path = join(server.rootDir, dir);
  mkdirSync(path, { recursive: true });
  for (let p = path; p.startsWith(server.rootDir) && p !== server.rootDir; p = join(p, '..')) chownSync(p, user.uid, user.gid);
  return path;
}

/** Puts a file, owned by the login user, into `dir` below the server's root (made if missing). */
export function putServerFile(server: TestFileServer, dir: string, name: string, content: string | Buffer): string {
  const user = ensureTestUser();
  const path = join(makeServerDir(server, dir), name);
  writeFileSync(path, content);
  chownSync(path, user.uid, user.gid);
  return path;
}

/** Starts a Test Import (`test`) or Run (`run`) of an import through the API and waits for it: the finished run and its JSON report. */
export async function runToReport(system: TestSystem, key: string, importId: string, mode: 'test' | 'run'): Promise<{ run: any; report: any }> {
  const started = await system.call('POST', `/api/imports/${importId}/${mode}`, { key });
  if (started.status !== 202) throw new Error(`starting a ${mode}: ${started.status} ${started.text}`);
  const run = await waitForRun(system, key, started.body.runId);
  const report = await system.call('GET', `/api/runs/${started.body.runId}/report`, { key });
  if (report.status !== 200) throw new Error(`reading the report: ${report.text}`);
  return { run, report: report.body };
}

/** Polls GET /api/runs/:id until the step after a real run has recorded what it did (`afterRun`). */
export async function waitForAfterRun(system: TestSystem, key: string, runId: string, timeoutMs = 60_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await system.call('GET', `/api/runs/${runId}`, { key });
    if (res.body.afterRun) return res.body;
    if (Date.now() > deadline) throw new Error(`run ${runId} has no after-run record after ${timeoutMs} ms: ${res.text}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
