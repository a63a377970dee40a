import { chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestFileServer } from '../sources/file-server';
import type { TestSystem } from './system';
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
  const key = await system.call('POST', `/api/districts/${district.body.id}/keys`, { body: { name: 'data team', rights } });
  if (key.status !== 201) throw new Error(`creating a key: ${key.text}`);
  return { districtId: district.body.id, key: key.body.key, keyId: key.body.id };
}

/** Another key of a district, issued by the platform admin. */
export async function issueKey(system: TestSystem, districtId: string, rights: string[]): Promise<string> {
  const key = await system.call('POST', `/api/districts/${districtId}/keys`, { body: { name: `key ${rights.join(' ')}`.slice(0, 100), rights } });
  if (key.status !== 201) throw new Error(`issuing a key: ${key.text}`);
  return key.body.key;
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
