import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSshd, type TestSshd } from '../sources/sshd';
import { waitUntil } from '../support/batch';
import { startTestSystem, waitForRun, type TestSystem } from '../support/system';
import { eligibilityFile, faultDistrict, holdStudent, importReading, startRun, studentNumbers } from '../faults/fault-fixtures';

const CHUNK = 10;
const STUDENTS = studentNumbers('P', 60);
const FILE = eligibilityFile(STUDENTS);

let system: TestSystem;
let sshd: TestSshd;

before(async () => {
  [system, sshd] = await Promise.all([startTestSystem({ chunkSize: CHUNK }), startSshd()]);
});
after(async () => {
  await sshd?.stop();
  await system?.stop();
});

test("a running run's progress shows the bytes read of the file's size, the rows staged, and the rows applied so far", async () => {
  const district = await faultDistrict(system, 'Progress USD', STUDENTS);
  const importId = await importReading(system, district, sshd, 'in', { 'IC_Eligibility_progress.csv': FILE });
  // P35 is in chunk 3: chunks 0–2 commit, chunk 3 waits on the lock, so the run stands still mid-apply
  const lock = await holdStudent(system, district.districtId, 'P35');
  const { runId } = await startRun(system, district.key, importId);
  const progress = async () => (await system.call('GET', `/api/runs/${runId}`, { key: district.key })).body.progress;
  try {
    await waitUntil('chunks 0 to 2 are applied', async () => (await progress()).rowsApplied === 3 * CHUNK);
    const bytes = Buffer.byteLength(FILE);
    assert.deepEqual(await progress(), { bytesRead: bytes, bytesTotal: bytes, rowsStaged: STUDENTS.length, rowsRead: 3 * CHUNK, rowsApplied: 3 * CHUNK });
  } finally {
    await lock.release();
  }
  const run = await waitForRun(system, district.key, runId);
  assert.equal(run.progress.rowsApplied, STUDENTS.length);
});
