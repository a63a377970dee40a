import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TestSshd } from '../test/sources/sshd';
import { createEligibilityImport } from '../test/support/batch';
import { insertLoadStudents } from '../test/support/bulk-students';
import { LOAD_HEADER, loadLines, priorLines } from '../test/support/eligibility-load';
import { createDistrictWithKey, WORD_HEADER_MAPPING } from '../test/support/fixtures';
import { streamServerFile } from '../test/support/stream-file';
import type { TestSystem } from '../test/support/system';
import { copyRowsPerSecond } from './copy-baseline';
import { assertProcessed, benchEntry, type BenchEntry } from './entry';
import { measureRun } from './measure-run';

const withHeader = (lines: Iterable<string>) =>
  (function* () {
    yield LOAD_HEADER;
    yield* lines;
  })();

/**
 * An eligibility file of `rows` rows in a district of its own: the students written in SQL (set-up, not
 * measured), a preliminary run of the records 20% of the rows meet, then the measured run of the file.
 */
export async function benchEligibility(system: TestSystem, sshd: TestSshd, rows: number, kills: number): Promise<BenchEntry> {
  const { key, districtId } = await createDistrictWithKey(system, `Bench ${rows} USD`);
  await insertLoadStudents(system.db, districtId, rows);
  const mapping = await system.call('POST', '/api/mappings', { key, body: WORD_HEADER_MAPPING });
  if (mapping.status !== 201) throw new Error(`creating the mapping: ${mapping.text}`);
  const dir = `eligibility-${rows}`;
  const importId = await createEligibilityImport(system, key, { name: `Bench ${rows}`, mappingId: mapping.body.id, connection: sshd.connection(dir) });

  const prior = await streamServerFile(sshd, dir, 'IC_Eligibility_prior.csv', withHeader(priorLines(rows)));
  const preliminary = await measureRun(system, key, importId, 0);
  assertProcessed(preliminary);
  console.log(`  preliminary run: ${preliminary.run.progress.rowsApplied} existing records in ${preliminary.wallSeconds.toFixed(1)} s (${(prior.bytes / 1e6).toFixed(1)} MB)`);

  const file = await streamServerFile(sshd, dir, 'IC_Eligibility_bench.csv', withHeader(loadLines(rows, true)));
  const measured = await measureRun(system, key, importId, rows, kills);
  const renamed = join(sshd.rootDir, dir, assertProcessed(measured));
  if (!existsSync(renamed)) throw new Error(`the renamed file is not on the server: ${renamed}`);
  const copy = await copyRowsPerSecond(system.db, renamed, 5, rows);
  return benchEntry('eligibility', rows, file.bytes, measured, copy);
}
