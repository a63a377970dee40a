import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSshd, type TestSshd } from '../sources/sshd';
import { waitUntil } from '../support/batch';
import { putServerFile } from '../support/fixtures';
import { addStudents, createRosterDistrict, createRosterImport, licenceViolations, rosterLine } from '../support/roster';
import { startTestSystem, type TestSystem } from '../support/system';
import { assertNotWedged, assertSurvived, watchUncaught } from './consistency';
import { eligibilityFile, faultDistrict, holdStudent, importReading, rowsApplied, startRun, studentNumbers } from './fault-fixtures';

const CHUNK = 5;
const STUDENTS = studentNumbers('P', 40);

let system: TestSystem;
let sshd: TestSshd;

before(async () => {
  [system, sshd] = await Promise.all([startTestSystem({ chunkSize: CHUNK, restartable: true, runReaperGraceSeconds: 30 }), startSshd()]);
});
after(async () => {
  await sshd?.stop();
  await system?.stop();
});

test('fault: PostgreSQL restarts while a chunk is being applied', async () => {
  const district = await faultDistrict(system, 'Database Restart USD', [...STUDENTS, 'P-next']);
  const importId = await importReading(system, district, sshd, 'in', { 'IC_Eligibility_1.csv': eligibilityFile(STUDENTS) });
  // student P13 is in chunk 2: chunks 0 and 1 commit, chunk 2 is inside its transaction when the server stops
  const lock = await holdStudent(system, district.districtId, 'P13');
  const { runId } = await startRun(system, district.key, importId);
  const uncaught = watchUncaught();
  try {
    await waitUntil('chunks 0 and 1 are committed', async () => (await rowsApplied(system, district.key, runId)) === 2 * CHUNK);
    await system.restartDatabase(3000);
  } finally {
    await lock.release();
  }

  const { run } = await assertSurvived(system, district.key, runId);
  uncaught.assertNone();
  assert.equal(run.status, 'completed', 'the chunk cut off rolled back and its retry applied it once');
  assert.equal(run.progress.rowsApplied, STUDENTS.length);
  putServerFile(sshd, 'in', 'IC_Eligibility_2.csv', eligibilityFile(['P-next']));
  await assertNotWedged(system, district.key, importId);
});

const ROSTER_HEADER = 'school_code,student_id,last_name,first_name,grade,date_of_birth,username,status';
const ROSTER_STUDENTS = studentNumbers('r', 40);
const LICENCES = 30;

test('fault: PostgreSQL restarts while a roster chunk is being applied (licences conserved)', async () => {
  const district = await createRosterDistrict(system, 'Roster Restart USD', { schools: ['LHS'], enterpriseLicenses: LICENCES });
  // an existing student in chunk 2 whose row the test holds
  await addStudents(system, district, [{ studentNumber: 'r13', status: null }]);
  putServerFile(sshd, 'roster', 'students.csv', [ROSTER_HEADER, ...ROSTER_STUDENTS.map((id) => rosterLine(id, 'A'))].join('\n') + '\n');
  const importId = await createRosterImport(system, district, sshd.connection('roster'));
  const lock = await holdStudent(system, district.districtId, 'r13');
  const { runId } = await startRun(system, district.key, importId);
  const uncaught = watchUncaught();
  try {
    await waitUntil('chunks 0 and 1 are committed', async () => (await rowsApplied(system, district.key, runId)) === 2 * CHUNK);
    await system.restartDatabase(3000);
  } finally {
    await lock.release();
  }

  const { run } = await assertSurvived(system, district.key, runId, ['MISSING_LICENSES']);
  uncaught.assertNone();
  assert.equal(run.status, 'completed', JSON.stringify(run.error));
  assert.equal(run.progress.rowsApplied, LICENCES, 'as many students activated as there are licences, each once');
  assert.deepEqual(await licenceViolations(system.db, district.districtId), []);
  putServerFile(sshd, 'roster', 'students.csv', `${ROSTER_HEADER}\n${rosterLine('r1', 'D')}\n`);
  await assertNotWedged(system, district.key, importId);
});
