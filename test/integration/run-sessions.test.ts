import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startSshd, type TestSshd } from '../sources/sshd';
import { startTestSystem, waitForRun, type TestSystem } from '../support/system';
import { eligibilityFile, faultDistrict, importReading, startRun, studentNumbers, type FaultDistrict } from '../faults/fault-fixtures';

const FILES = 4;
const STUDENTS = studentNumbers('L', FILES);

/** A run keeps its SFTP session from one activity to the next (activities/run-sessions.ts). */
describe('a run\'s SFTP session', () => {
  let system: TestSystem;
  let sshd: TestSshd;
  let district: FaultDistrict;

  before(async () => {
    [system, sshd] = await Promise.all([startTestSystem(), startSshd()]);
    district = await faultDistrict(system, 'Sessions USD', STUDENTS);
  });
  after(async () => {
    await sshd?.stop();
    await system?.stop();
  });

  const logins = () => (sshd.log().match(/Accepted (password|publickey|keyboard-interactive)/g) ?? []).length;

  it('logs in once for the listing and once a file, not once an activity', async () => {
    const files = Object.fromEntries(STUDENTS.map((id, i) => [`IC_Eligibility_${i}.csv`, eligibilityFile([id])]));
    const importId = await importReading(system, district, sshd, 'in', files);
    const before = logins();
    const { runId } = await startRun(system, district.key, importId);
    const run = await waitForRun(system, district.key, runId);
    assert.equal(run.status, 'completed', JSON.stringify(run.error));
    assert.equal(run.progress.rowsApplied, FILES);
    // list → claim → download reuse one session; a download's session is closed, so each rename logs in and the
    // next file's claim and download reuse that one. Without reuse: a login for the listing and three a file.
    assert.equal(logins() - before, 1 + FILES);
  });
});
