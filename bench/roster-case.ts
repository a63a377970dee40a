import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROSTER_FILE_NAME } from '../kinds/students/files';
import type { TestSshd } from '../test/sources/sshd';
import { createRosterDistrict, createRosterImport } from '../test/support/roster';
import { streamServerFile } from '../test/support/stream-file';
import type { TestSystem } from '../test/support/system';
import { copyRowsPerSecond } from './copy-baseline';
import { assertProcessed, benchEntry, type BenchEntry } from './entry';
import { measureRun } from './measure-run';
import { ROSTER_SCHOOLS, rosterLines } from './roster-file';

/** A roster (`students.csv`) of `rows` new students in a district of its own, with enough enterprise licences for all. */
export async function benchRoster(system: TestSystem, sshd: TestSshd, rows: number): Promise<BenchEntry> {
  const district = await createRosterDistrict(system, `Bench Roster ${rows} USD`, { schools: ROSTER_SCHOOLS, enterpriseLicenses: rows });
  const dir = `roster-${rows}`;
  const importId = await createRosterImport(system, district, sshd.connection(dir), { name: `Bench Roster ${rows}` });
  const file = await streamServerFile(sshd, dir, ROSTER_FILE_NAME, rosterLines(rows));
  const measured = await measureRun(system, district.key, importId, rows);
  const renamed = join(sshd.rootDir, dir, assertProcessed(measured));
  if (!existsSync(renamed)) throw new Error(`the renamed file is not on the server: ${renamed}`);
  const copy = await copyRowsPerSecond(system.db, renamed, 8, rows);
  return benchEntry('students', rows, file.bytes, measured, copy);
}
