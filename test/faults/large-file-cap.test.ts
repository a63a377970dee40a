import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { startSshd, type TestSshd } from '../sources/sshd';
import { createEligibilityImport } from '../support/batch';
import { putServerFile } from '../support/fixtures';
import { startTestSystem, waitForRun, type TestSystem } from '../support/system';
import { assertConsistent, assertRunEnded, watchUncaught } from './consistency';
import { eligibilityRow, faultDistrict, HEADER, startRun, studentNumbers } from './fault-fixtures';

const ROW_CAP = 100_000;
/** HUGE_FILE_MB sets another size, e.g. to compare the memory growth of a smaller file with the 1 GB one's. */
const TARGET_BYTES = Number(process.env.HUGE_FILE_MB ?? 1024) * 1024 ** 2;
const NAME = 'IC_Eligibility_huge.csv';
/** Rows of about 1 KB: a note column the mapping does not read. */
const PADDING = 'x'.repeat(990);
const STUDENTS = studentNumbers('H', ROW_CAP);
const MB = 1024 * 1024;

let system: TestSystem;
let sshd: TestSshd;

before(async () => {
  [system, sshd] = await Promise.all([startTestSystem({ chunkSize: 5000, runCaps: { maxRows: ROW_CAP } }), startSshd()]);
});
after(async () => {
  await sshd?.stop();
  await system?.stop();
});

/** Writes ~1 GB of rows to the server's file block by block (never whole in memory), hashing as it goes. */
function writeHugeFile(): { path: string; sha256: string; rows: number } {
  const header = `${HEADER},Note\n`;
  const path = putServerFile(sshd, 'in', NAME, header);
  const hash = createHash('sha256').update(header);
  const fd = openSync(path, 'a');
  let bytes = header.length;
  let rows = 0;
  try {
    while (bytes < TARGET_BYTES) {
      let block = '';
      for (let i = 0; i < 4096; i++, rows++) block += `${eligibilityRow(STUDENTS[rows] ?? `H-later-${rows}`)},${PADDING}\n`;
      const buffer = Buffer.from(block);
      hash.update(buffer);
      writeSync(fd, buffer);
      bytes += buffer.length;
    }
  } finally {
    closeSync(fd);
  }
  return { path, sha256: hash.digest('hex'), rows };
}

test('fault: a 1 GB file over the row cap is read and hashed whole in flat memory, its rows beyond the cap left for the next run', { timeout: 10 * 60_000 }, async () => {
  const district = await faultDistrict(system, 'Huge File USD', STUDENTS);
  const { path, sha256, rows } = writeHugeFile();
  assert.ok(statSync(path).size >= TARGET_BYTES && rows > ROW_CAP);
  const importId = await createEligibilityImport(system, district.key, { name: 'Huge', mappingId: district.mappingId, connection: sshd.connection('in') });

  const uncaught = watchUncaught();
  (globalThis as { gc?: () => void }).gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  const started = Date.now();
  const { runId } = await startRun(system, district.key, importId);
  let run: any;
  try {
    run = await assertRunEnded(system, district.key, runId, 8 * 60_000);
  } finally {
    clearInterval(sampler);
  }
  const seconds = (Date.now() - started) / 1000;
  const growthMb = (peak - baseline) / MB;
  console.log(`1 GB file, row cap ${ROW_CAP}: ${seconds.toFixed(0)} s; in-process worker's RSS grew at most ${growthMb.toFixed(0)} MB`);

  uncaught.assertNone();
  assert.equal(run.status, 'completed', JSON.stringify(run.error));
  await assertConsistent(system, runId);
  const [file] = run.files;
  assert.equal(file.sha256, sha256, 'the whole file was read and hashed');
  assert.equal(file.bytesRead, file.size);
  assert.equal(run.progress.rowsRead, ROW_CAP, 'exactly the cap of rows was applied');
  assert.equal(run.progress.rowsApplied, ROW_CAP);
  const warnings = await system.db.query<{ file: string; message: string }>(`select file, message from problems where run_id = $1 and code = 'RUN_CAP_REACHED'`, [runId]);
  assert.equal(warnings.rows.length, 1);
  assert.equal(warnings.rows[0]!.file, NAME);
  assert.match(warnings.rows[0]!.message, new RegExp(`other ${rows - ROW_CAP} rows continue in the next run`));
  assert.ok(existsSync(join(sshd.rootDir, 'in', NAME)), 'the file stays in place for the next run');
  assert.ok(growthMb < 300, `the worker's memory grew ${growthMb.toFixed(0)} MB`);
});
