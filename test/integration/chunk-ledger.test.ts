import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities, type Activities } from '../../activities';
import { findImportById } from '../../db/queries/imports';
import { createRun } from '../../runs/create-run';
import { connectFileSource } from '../../sources/connect';
import { startSshd, type TestSshd } from '../sources/sshd';
import { createDistrictWithKey, putServerFile, WORD_HEADER_MAPPING } from '../support/fixtures';
import { startTestSystem, type TestSystem } from '../support/system';

/**
 * Invariant 2 (exactly-once effect), on the real activities against PostgreSQL and sshd: an activity
 * attempt whose reply was lost is retried, and the retry must change nothing.
 */
describe('chunk ledger: a retried chunk changes nothing twice', () => {
  let system: TestSystem;
  let sshd: TestSshd;
  let activities: Activities;
  const env = new MockActivityEnvironment();
  const call = <K extends keyof Activities>(name: K, ...args: Parameters<Activities[K]>) =>
    env.run(activities[name] as (...a: Parameters<Activities[K]>) => ReturnType<Activities[K]>, ...args) as ReturnType<Activities[K]>;
  let importId = '';

  before(async () => {
    [system, sshd] = await Promise.all([startTestSystem(), startSshd()]);
    activities = createActivities({ db: system.db, config: { ...system.config, chunkSize: 2 }, connect: connectFileSource });
    const rows = ['ID,Status,Type,Start,End', '1,F,D,08/01/2025,', '2,R,I,08/01/2025,', '1,F,D,09/01/2025,', '3,F,D,08/01/2025,', '4,F,D,08/01/2025,'];
    putServerFile(sshd, 'in', 'IC_Eligibility_x.csv', rows.join('\n') + '\n');

    const { key } = await createDistrictWithKey(system, 'Ledger USD');
    await system.call('PUT', '/api/students', { key, body: ['1', '2', '3', '4'].map((n) => ({ studentNumber: n, firstName: 'F', lastName: `L${n}` })) });
    const mapping = await system.call('POST', '/api/mappings', { key, body: WORD_HEADER_MAPPING });
    const imp = await system.call('POST', '/api/imports', { key, body: { name: 'Ledger', kind: 'eligibility', mappingId: mapping.body.id, connection: sshd.connection('in') } });
    assert.equal(imp.status, 201, imp.text);
    importId = imp.body.id;
  });
  after(async () => {
    await sshd?.stop();
    await system?.stop();
  });

  it('applies each chunk once even when an attempt is repeated', async () => {
    const runId = randomUUID();
    const imp = (await findImportById(system.db, importId))!;
    await createRun(system.db, { id: runId, imp, mode: 'run', trigger: 'manual', workflowId: `ledger-${runId}` });
    await call('beginRun', { runId, importId, mode: 'run', trigger: 'manual' });
    const { files } = await call('listFiles', { runId });
    assert.equal(files, 1);
    const { runFileId } = await call('claimFile', { runId, ordinal: 0 });
    assert.ok(runFileId);
    const staged = await call('stageFile', { runFileId });
    assert.deepEqual([staged.outcome, staged.rows], ['ready', 5]);
    // staging twice (a retried download) leaves the same five staged rows
    assert.deepEqual(await call('stageFile', { runFileId }), staged);

    const first = await call('applyChunk', { runFileId, chunkIndex: 0, chunkSize: 2 });
    const repeated = await call('applyChunk', { runFileId, chunkIndex: 0, chunkSize: 2 });
    assert.deepEqual(repeated, first, 'the retry returns what the committed attempt did');
    await Promise.all([call('applyChunk', { runFileId, chunkIndex: 1, chunkSize: 2 }), call('applyChunk', { runFileId, chunkIndex: 1, chunkSize: 2 })]);
    await call('applyChunk', { runFileId, chunkIndex: 2, chunkSize: 2 });

    const count = async (sql: string) => Number((await system.db.query(sql, [runId])).rows[0].n);
    assert.equal(await count('select count(*) as n from report_records r join run_files f on f.id = r.run_file_id where f.run_id = $1'), 6, 'New×4, Ended×1, New×1: no report row twice');
    assert.equal(await count('select count(*) as n from run_chunks c join run_files f on f.id = c.run_file_id where f.run_id = $1'), 3);
    assert.equal(await count('select rows_read as n from runs where id = $1'), 5, 'progress counted once per chunk');
    const records = await system.db.query('select count(*)::int as n from eligibility_records where source_run_id = $1', [runId]);
    assert.equal(records.rows[0].n, 5, 'five records inserted once each (student 1 has two)');
  });
});
