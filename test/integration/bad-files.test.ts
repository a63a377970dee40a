import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { chmodSync, chownSync, existsSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities, type Activities } from '../../activities';
import { findImportById } from '../../db/queries/imports';
import { createRun } from '../../runs/create-run';
import { connectFileSource } from '../../sources/connect';
import { startSshd, type TestSshd } from '../sources/sshd';
import { createDistrictWithKey, makeServerDir, putServerFile, runToReport, WORD_HEADER_MAPPING } from '../support/fixtures';
import { startTestSystem, type TestSystem } from '../support/system';

const GOOD = ['ID,Status,Type,Start,End', '1,F,D,08/01/2025,', '2,R,I,08/01/2025,'].join('\n') + '\n';

/** Issue 11: a file the run cannot read or rename is that file's problem; the run goes on with the others. */
describe('a bad file is that file\'s problem', () => {
  let system: TestSystem;
  let sshd: TestSshd;
  let key = '';
  let mappingId = '';

  async function createImport(dir: string): Promise<string> {
    const imp = await system.call('POST', '/api/imports', { key, body: { name: `Bad files ${dir}`, kind: 'eligibility', mappingId, connection: sshd.connection(dir) } });
    assert.equal(imp.status, 201, imp.text);
    return imp.body.id;
  }

  /** A file the login user cannot read: owned by root, mode 000, listed first (oldest). */
  function putUnreadable(dir: string, name: string): string {
    const path = putServerFile(sshd, dir, name, GOOD);
    chownSync(path, 0, 0);
    chmodSync(path, 0o000);
    utimesSync(path, new Date('2025-01-01'), new Date('2025-01-01'));
    return path;
  }

  const fileCodes = (report: { problems: { file: string; code: string }[] }) => report.problems.map((p) => `${p.file}:${p.code}`).sort();

  before(async () => {
    [system, sshd] = await Promise.all([startTestSystem(), startSshd()]);
    ({ key } = await createDistrictWithKey(system, 'Bad Files USD'));
    await system.call('PUT', '/api/students', { key, body: ['1', '2'].map((n) => ({ studentNumber: n, firstName: 'F', lastName: `L${n}` })) });
    mappingId = (await system.call('POST', '/api/mappings', { key, body: WORD_HEADER_MAPPING })).body.id;
  });
  after(async () => {
    await sshd?.stop();
    await system?.stop();
  });

  it('an unreadable file is reported and left in place; the good file after it is applied and renamed', async () => {
    const locked = putUnreadable('mixed', 'IC_Eligibility_locked.csv');
    putServerFile(sshd, 'mixed', 'IC_Eligibility_good.csv', GOOD);
    const { run, report } = await runToReport(system, key, await createImport('mixed'), 'run');
    assert.equal(run.status, 'completed', JSON.stringify(run.error));
    assert.deepEqual(run.files.map((f: { name: string; status: string }) => `${f.name}:${f.status}`), ['IC_Eligibility_locked.csv:failed', 'IC_Eligibility_good.csv:processed']);
    assert.deepEqual(fileCodes(report), ['IC_Eligibility_locked.csv:FILE_NOT_READABLE']);
    assert.equal(report.records.length, 2);
    assert.ok(existsSync(locked), 'the unreadable file stays in place');
    assert.ok(readdirSync(join(sshd.rootDir, 'mixed')).some((n) => n.startsWith('P_IC_Eligibility_good_')), 'the good file is renamed');
  });

  it('a run whose every file is unreadable fails with ALL_FILES_FAILED and leaves them in place', async () => {
    const paths = [putUnreadable('locked', 'IC_Eligibility_a.csv'), putUnreadable('locked', 'IC_Eligibility_b.csv')];
    const { run, report } = await runToReport(system, key, await createImport('locked'), 'run');
    assert.equal(run.status, 'failed');
    assert.equal(run.error.code, 'ALL_FILES_FAILED', JSON.stringify(run.error));
    assert.deepEqual(fileCodes(report), ['IC_Eligibility_a.csv:FILE_NOT_READABLE', 'IC_Eligibility_b.csv:FILE_NOT_READABLE']);
    assert.ok(paths.every((p) => existsSync(p)));
  });

  it('a file the server will not rename is reported FILE_NOT_RENAMED and stays in place', async () => {
    const path = putServerFile(sshd, 'readonly', 'IC_Eligibility_kept.csv', GOOD);
    const dir = makeServerDir(sshd, 'readonly');
    chmodSync(dir, 0o555);
    try {
      const { run, report } = await runToReport(system, key, await createImport('readonly'), 'run');
      assert.deepEqual(run.files.map((f: { status: string; renamedTo: string | null }) => [f.status, f.renamedTo]), [['failed', null]]);
      assert.deepEqual(fileCodes(report), ['IC_Eligibility_kept.csv:FILE_NOT_RENAMED']);
      assert.equal(run.error?.code, 'ALL_FILES_FAILED', 'its only file failed');
      assert.ok(existsSync(path));
    } finally {
      chmodSync(dir, 0o755);
    }
  });

  it('a file deleted between claiming and reading is FILE_VANISHED, not a failed activity', async () => {
    const activities: Activities = createActivities({ db: system.db, config: system.config, connect: connectFileSource });
    const env = new MockActivityEnvironment();
    const call = <K extends keyof Activities>(name: K, ...args: Parameters<Activities[K]>) =>
      env.run(activities[name] as (...a: Parameters<Activities[K]>) => ReturnType<Activities[K]>, ...args) as ReturnType<Activities[K]>;
    const path = putServerFile(sshd, 'vanish', 'IC_Eligibility_gone.csv', GOOD);
    const importId = await createImport('vanish');
    const runId = randomUUID();
    await createRun(system.db, { id: runId, imp: (await findImportById(system.db, importId))!, mode: 'run', trigger: 'manual', workflowId: `vanish-${runId}` });
    await call('beginRun', { runId, importId, mode: 'run', trigger: 'manual' });
    const { files } = await call('listFiles', { runId });
    assert.equal(files, 1);
    const { runFileId } = await call('claimFile', { runId, ordinal: 0 });
    assert.ok(runFileId);
    rmSync(path);
    assert.deepEqual(await call('stageFile', { runFileId }), { outcome: 'failed', rows: 0, longestRowChars: 0 });
    const problems = await system.db.query('select file, code from problems where run_file_id = $1', [runFileId]);
    assert.deepEqual(problems.rows, [{ file: 'IC_Eligibility_gone.csv', code: 'FILE_VANISHED' }]);
  });
});
