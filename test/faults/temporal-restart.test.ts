import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSshd, type TestSshd } from '../sources/sshd';
import { waitUntil } from '../support/batch';
import { putServerFile } from '../support/fixtures';
import { startTestSystem, type TestSystem } from '../support/system';
import { assertNotWedged, assertSurvived, watchUncaught } from './consistency';
import { eligibilityFile, faultDistrict, holdStudent, importReading, rowsApplied, startRun, studentNumbers } from './fault-fixtures';

const CHUNK = 5;
const STUDENTS = studentNumbers('T', 40);

let system: TestSystem;
let sshd: TestSshd;

before(async () => {
  [system, sshd] = await Promise.all([startTestSystem({ chunkSize: CHUNK, restartable: true, runReaperGraceSeconds: 30 }), startSshd()]);
});
after(async () => {
  await sshd?.stop();
  await system?.stop();
});

test('fault: the Temporal dev server restarts while a chunk is applied', async () => {
  const district = await faultDistrict(system, 'Temporal Restart USD', [...STUDENTS, 'T-next']);
  const importId = await importReading(system, district, sshd, 'in', { 'IC_Eligibility_1.csv': eligibilityFile(STUDENTS) });
  // student T13 is in chunk 2: chunks 0 and 1 commit, chunk 2 waits on the lock while Temporal goes away
  const lock = await holdStudent(system, district.districtId, 'T13');
  const { runId } = await startRun(system, district.key, importId);
  const uncaught = watchUncaught();
  try {
    await waitUntil('chunks 0 and 1 are committed', async () => (await rowsApplied(system, district.key, runId)) === 2 * CHUNK);
    await system.restartTemporal(3000);
  } finally {
    await lock.release();
  }

  const { run } = await assertSurvived(system, district.key, runId);
  uncaught.assertNone();
  assert.equal(run.status, 'completed', 'the worker and the API reconnected and the run went on');
  assert.equal(run.progress.rowsApplied, STUDENTS.length);
  putServerFile(sshd, 'in', 'IC_Eligibility_2.csv', eligibilityFile(['T-next']));
  await assertNotWedged(system, district.key, importId);
});
