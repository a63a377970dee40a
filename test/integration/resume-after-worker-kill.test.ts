import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startSshd, type TestSshd } from '../sources/sshd';
import { createDistrictWithKey, putServerFile, WORD_HEADER_MAPPING } from '../support/fixtures';
import { startTestSystem, waitForRun, type TestSystem } from '../support/system';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process';

const ROWS = 3000;
const CHUNK = 50;

/** Invariant 3: killing the worker mid-run loses at most the chunk in flight; the next worker finishes the run with the same report. */
describe('resume after the worker is killed', () => {
  let system: TestSystem;
  let sshd: TestSshd;
  const workers: WorkerProcess[] = [];
  const startWorker = async () => {
    const worker = await startWorkerProcess(system.config, { chunkSize: CHUNK });
    workers.push(worker);
    return worker;
  };
  let key = '';
  let importId = '';

  before(async () => {
    [system, sshd] = await Promise.all([startTestSystem({ chunkSize: CHUNK, inProcessWorker: false }), startSshd()]);
    const lines = ['ID,Status,Type,Start,End'];
    for (let i = 0; i < ROWS; i++) lines.push(`${i % 1000},${'FRS'[i % 3]},D,${String(8 + (i % 4)).padStart(2, '0')}/0${1 + (i % 7)}/2025,`);
    putServerFile(sshd, 'in', 'IC_Eligibility_big.csv', lines.join('\n') + '\n');

    ({ key } = await createDistrictWithKey(system, 'Resume USD'));
    await system.call('PUT', '/api/students', { key, body: Array.from({ length: 1000 }, (_, i) => ({ studentNumber: String(i), firstName: 'F', lastName: `L${i}` })) });
    const mapping = await system.call('POST', '/api/mappings', { key, body: WORD_HEADER_MAPPING });
    importId = (await system.call('POST', '/api/imports', { key, body: { name: 'Resume', kind: 'eligibility', mappingId: mapping.body.id, connection: sshd.connection('in') } })).body.id;
  });
  after(async () => {
    await Promise.all(workers.map((w) => w.kill()));
    await sshd?.stop();
    await system?.stop();
  });

  it('finishes on a new worker with the report the dry run predicted, applying nothing twice', async () => {
    const first = await startWorker();
    const test = await system.call('POST', `/api/imports/${importId}/test`, { key });
    await waitForRun(system, key, test.body.runId, 120_000);
    const predicted = (await system.call('GET', `/api/runs/${test.body.runId}/report`, { key })).body;

    const started = await system.call('POST', `/api/imports/${importId}/run`, { key });
    const runId = started.body.runId;
    for (;;) {
      const run = (await system.call('GET', `/api/runs/${runId}`, { key })).body;
      if (run.progress.rowsRead >= ROWS / 4) break;
      assert.notEqual(run.status, 'completed', 'the run finished before the worker could be killed; make the file bigger');
      await new Promise((r) => setTimeout(r, 20));
    }
    await first.kill();
    const readAtKill = (await system.call('GET', `/api/runs/${runId}`, { key })).body.progress.rowsRead;
    assert.ok(readAtKill < ROWS, 'killed mid-run');

    await startWorker();
    const run = await waitForRun(system, key, runId, 180_000);
    assert.equal(run.status, 'completed', JSON.stringify(run.error));
    assert.equal(run.progress.rowsRead, ROWS, 'every row counted exactly once');
    const report = (await system.call('GET', `/api/runs/${runId}/report`, { key })).body;
    assert.deepEqual(report.summary, predicted.summary);
    assert.deepEqual(report.records, predicted.records);
    assert.deepEqual(report.problems, predicted.problems);
    const { rows } = await system.db.query(
      `select count(*)::int as chunks from run_chunks c join run_files f on f.id = c.run_file_id where f.run_id = $1`,
      [runId],
    );
    assert.equal(rows[0].chunks, ROWS / CHUNK);
  });
});
