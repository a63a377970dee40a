import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSshd, type TestSshd } from '../sources/sshd';
import { createEligibilityImport, waitUntil } from '../support/batch';
import { insertLoadStudents, recordsFingerprint } from '../support/bulk-students';
import { expectedRecordsFingerprint, LOAD_HEADER, loadLines } from '../support/eligibility-load';
import { createDistrictWithKey, WORD_HEADER_MAPPING } from '../support/fixtures';
import { streamServerFile } from '../support/stream-file';
import { startTestSystem, waitForRun, type TestSystem } from '../support/system';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process';
import { assertSurvived } from './consistency';
import { sleep, startRun } from './fault-fixtures';

const ROWS = 200_000;
const CHUNK = 2000;

let system: TestSystem;
let sshd: TestSshd;
const workers: WorkerProcess[] = [];

before(async () => {
  [system, sshd] = await Promise.all([startTestSystem({ chunkSize: CHUNK, inProcessWorker: false }), startSshd()]);
});
after(async () => {
  await Promise.all(workers.map((w) => w.kill()));
  await sshd?.stop();
  await system?.stop();
});

async function startWorker(): Promise<WorkerProcess> {
  const worker = await startWorkerProcess(system.config);
  workers.push(worker);
  return worker;
}

const between = (low: number, high: number) => low + Math.random() * (high - low);

async function runNow(key: string, runId: string): Promise<any> {
  const res = await system.call('GET', `/api/runs/${runId}`, { key });
  assert.equal(res.status, 200, res.text);
  return res.body;
}

/** The whole report (records, then problems) as the API's CSV. */
async function reportCsv(key: string, runId: string): Promise<string> {
  const res = await system.call('GET', `/api/runs/${runId}/report`, { key, headers: { accept: 'text/csv' } });
  assert.equal(res.status, 200, res.text.slice(0, 500));
  return res.text;
}

/** Milliseconds from the file's claim to the end of its staging, watched through the API. */
async function watchStaging(key: string, runId: string): Promise<number> {
  await waitUntil('the file is claimed', async () => (await runNow(key, runId)).files.length > 0, 120_000);
  const claimed = Date.now();
  await waitUntil('the file is staged', async () => (await runNow(key, runId)).progress.rowsStaged > 0, 300_000);
  return Date.now() - claimed;
}

test('fault: the worker is killed (SIGKILL) three times during staging and apply of a 200,000-row file', async (t) => {
  const { key, districtId } = await createDistrictWithKey(system, 'Worker Kill USD');
  await insertLoadStudents(system.db, districtId, ROWS);
  const mapping = await system.call('POST', '/api/mappings', { key, body: WORD_HEADER_MAPPING });
  assert.equal(mapping.status, 201, mapping.text);
  await streamServerFile(sshd, 'in', 'IC_Eligibility_load.csv', (function* () {
    yield LOAD_HEADER;
    yield* loadLines(ROWS, false);
  })());
  const importId = await createEligibilityImport(system, key, { name: 'Worker Kill', mappingId: mapping.body.id, connection: sshd.connection('in') });

  let worker = await startWorker();
  // the uninterrupted run against the same data: the Test Import, which must predict the run's report exactly
  const dry = await system.call('POST', `/api/imports/${importId}/test`, { key });
  assert.equal(dry.status, 202, dry.text);
  const stagingMs = await watchStaging(key, dry.body.runId);
  const dryRun = await waitForRun(system, key, dry.body.runId, 300_000);
  assert.equal(dryRun.status, 'completed', JSON.stringify(dryRun.error));
  const predicted = await reportCsv(key, dry.body.runId);

  const { runId } = await startRun(system, key, importId);
  const kills: string[] = [];
  const killAndReplace = async (where: string) => {
    await worker.kill();
    const at = (await runNow(key, runId)).progress;
    kills.push(`${where}: killed at ${at.bytesRead} bytes read, ${at.rowsStaged} staged, ${at.rowsApplied} applied`);
    worker = await startWorker();
    return at;
  };

  // 1: during staging, at a random moment of the time staging took in the dry run
  await waitUntil('the file is claimed', async () => (await runNow(key, runId)).files.length > 0, 120_000);
  await sleep(between(0.1, 0.7) * stagingMs);
  const atFirst = await killAndReplace('staging');
  assert.equal(atFirst.rowsStaged, 0, 'the first kill came after staging had ended; the random point is too late');

  // 2 and 3: during apply, at random shares of the rows (the second after the new worker has gone past the first)
  for (const share of [between(0.1, 0.45), between(0.55, 0.9)]) {
    await waitUntil(`${Math.round(share * 100)}% of the rows are read`, async () => {
      const now = await runNow(key, runId);
      assert.ok(['queued', 'running'].includes(now.status), `the run ended ${now.status} before the kill: ${JSON.stringify(now.error)}`);
      return now.progress.rowsRead >= share * ROWS;
    }, 300_000);
    const at = await killAndReplace(`apply at ${Math.round(share * 100)}%`);
    assert.ok(at.rowsRead < ROWS, 'killed before the last chunk');
  }
  t.diagnostic(`staging took ${stagingMs} ms in the dry run; ${kills.join('; ')}`);

  const { run } = await assertSurvived(system, key, runId, [], 400_000);
  assert.equal(run.status, 'completed', JSON.stringify(run.error));
  assert.equal(run.progress.rowsRead, ROWS, 'every row counted exactly once');
  assert.deepEqual(run.summary, dryRun.summary);
  assert.equal(run.files[0].status, 'processed');
  assert.match(run.files[0].renamedTo ?? '', /^P_IC_Eligibility_load_\d{8}T\d{6}Z\.csv$/);
  const report = await reportCsv(key, runId);
  if (report !== predicted) {
    const [got, want] = [report.split('\n'), predicted.split('\n')];
    const line = got.findIndex((l, i) => l !== want[i]);
    assert.fail(`the report differs from the uninterrupted run's at CSV line ${line + 1}: ${got[line]} ≠ ${want[line]} (${got.length} vs ${want.length} lines)`);
  }
  assert.deepEqual(await recordsFingerprint(system.db, districtId), expectedRecordsFingerprint(ROWS, false), 'the records in the database are exactly those of the file');
});
