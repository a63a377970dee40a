import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensurePostgresUser } from '../../runtime/postgres-user';
import { startSshd, type TestSshd } from '../sources/sshd';
import { putServerFile } from '../support/fixtures';
import { startTestSystem, type TestSystem } from '../support/system';
import { assertNotWedged, assertSurvived, watchUncaught } from './consistency';
import { eligibilityFile, eligibilityRow, faultDistrict, HEADER, importReading, startRun, studentNumbers } from './fault-fixtures';

// The staging table lives in a tablespace on an 8 MB tmpfs; the file stages to more than that.
const SMALL = '8m';
const ROOM = '256m';
const STUDENTS = studentNumbers('D', 12_000);
const PADDING = 'x'.repeat(680);
const paddedFile = (ids: readonly string[]) => [`${HEADER},Note`, ...ids.map((id) => `${eligibilityRow(id)},${PADDING}`)].join('\n') + '\n';

let system: TestSystem;
let sshd: TestSshd;
let mountPoint = '';
/** Why the fault cannot be injected here (mounting needs root and CAP_SYS_ADMIN), or '' when it can. */
let cannotMount = '';

/** Room on the staging tablespace's filesystem, in bytes. */
const freeBytes = () => Number(execFileSync('df', ['--output=avail', '-B1', mountPoint]).toString().split('\n')[1]);

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'si-small-tablespace-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${SMALL},mode=0700`, 'tmpfs', dir], { stdio: 'pipe' });
    mountPoint = dir;
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    cannotMount = `a small filesystem cannot be mounted here: ${String((error as { stderr?: unknown }).stderr ?? error).trim()}`;
    return;
  }
  // its own PostgreSQL on this machine (restartable: never TEST_DATABASE_URL's server), whose files the tablespace can be put beside
  [system, sshd] = await Promise.all([startTestSystem({ runReaperGraceSeconds: 30, restartable: true }), startSshd()]);
  const postgres = await ensurePostgresUser();
  chownSync(mountPoint, postgres.uid, postgres.gid);
  await system.db.query(`create tablespace small_staging location '${mountPoint}'`);
  await system.db.query('alter table staged_rows set tablespace small_staging');
});
after(async () => {
  await sshd?.stop();
  await system?.stop();
  if (mountPoint) {
    execFileSync('umount', ['--lazy', mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
  }
});

test('fault: the database disk fills up while a file is staged', async (t) => {
  if (cannotMount) {
    t.skip(cannotMount);
    return;
  }
  const district = await faultDistrict(system, 'Disk Full USD', [...STUDENTS, 'D-next']);
  const importId = await importReading(system, district, sshd, 'in', { 'IC_Eligibility_1.csv': paddedFile(STUDENTS) });
  const uncaught = watchUncaught();
  const { runId } = await startRun(system, district.key, importId);

  const { run } = await assertSurvived(system, district.key, runId, ['DATABASE_FULL'], 60_000);
  uncaught.assertNone();
  assert.equal(run.status, 'failed');
  assert.equal(run.error.code, 'DATABASE_FULL');
  assert.equal(run.files[0].renamedTo, null, 'the file stays in place for the next run');

  // an operator makes room; the file left in place imports, with the next one
  execFileSync('mount', ['-o', `remount,size=${ROOM}`, mountPoint]);
  assert.ok(freeBytes() > 64 * 1024 * 1024);
  putServerFile(sshd, 'in', 'IC_Eligibility_2.csv', eligibilityFile(['D-next']));
  const next = await assertNotWedged(system, district.key, importId);
  assert.equal(next.progress.rowsApplied, STUDENTS.length + 1);
});
