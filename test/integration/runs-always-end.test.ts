import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { PoolClient } from 'pg';
import { findImportById } from '../../db/queries/imports';
import { markRunRunning } from '../../db/queries/runs';
import { createRun } from '../../runs/create-run';
import { RUN_REAPER_SCHEDULE_ID } from '../../worker/maintenance-schedule';
import { startSshd, type TestSshd } from '../sources/sshd';
import { createEligibilityImport, waitUntil } from '../support/batch';
import { createDistrictWithKey, putServerFile, SHORT_HEADER_MAPPING } from '../support/fixtures';
import { startTestSystem, waitForRun, type TestSystem } from '../support/system';

const CHUNK = 2;
const ROWS = 10;
const FILE_NAME = 'IC_Eligibility_1.csv';
// Temporal's PENDING_ACTIVITY_STATE_CANCEL_REQUESTED
const CANCEL_REQUESTED = 3;

/** Nothing wedges: a canceled run, a run whose workflow never started, and one whose workflow was terminated all end, and the import runs again. */
describe('runs always end', () => {
  let system: TestSystem;
  let sshd: TestSshd;
  let key = '';
  let districtId = '';
  let mappingId = '';
  let dirs = 0;

  /** An import over a directory of its own with one file of ROWS rows (students 1…ROWS); the file's local path. */
  async function importWithFile(name: string): Promise<{ importId: string; file: string }> {
    const dir = `end${++dirs}`;
    const rows = Array.from({ length: ROWS }, (_, i) => `${i + 1},F,D,08/01/2025,`);
    const file = putServerFile(sshd, dir, FILE_NAME, `ID,S,T,A,B\n${rows.join('\n')}\n`);
    return { importId: await createEligibilityImport(system, key, { name, mappingId, connection: sshd.connection(dir) }), file };
  }

  /** Holds student `studentNumber`'s row lock, so the chunk that applies its row waits (heartbeating) until release(). */
  async function holdStudent(studentNumber: string): Promise<{ release(): Promise<void> }> {
    const client: PoolClient = await system.db.connect();
    await client.query('begin');
    await client.query('select id from students where district_id = $1 and student_number = $2 for update', [districtId, studentNumber]);
    return {
      async release() {
        await client.query('rollback');
        client.release();
      },
    };
  }

  const startRun = async (importId: string) => {
    const started = await system.call('POST', `/api/imports/${importId}/run`, { key });
    assert.equal(started.status, 202, started.text);
    return started.body as { runId: string; workflowId: string };
  };
  const runOf = async (runId: string) => (await system.call('GET', `/api/runs/${runId}`, { key })).body;
  const count = async (sql: string, runId: string) => (await system.db.query<{ n: number }>(sql, [runId])).rows[0]!.n;
  const stagedRows = (runId: string) => count('select count(*)::int as n from staged_rows s join run_files f on f.id = s.run_file_id where f.run_id = $1', runId);
  const chunks = (runId: string) => count('select count(*)::int as n from run_chunks c join run_files f on f.id = c.run_file_id where f.run_id = $1', runId);
  const filesIn = (file: string) => readdirSync(dirname(file)).sort();

  /** Triggers the reaper schedule until `check` holds (a pass may be skipped while another runs). */
  async function reapUntil(what: string, check: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + 60_000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`the reaper did not make it so that ${what}`);
      await system.client.schedule.getHandle(RUN_REAPER_SCHEDULE_ID).trigger();
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }

  before(async () => {
    [system, sshd] = await Promise.all([startTestSystem({ chunkSize: CHUNK, runReaperGraceSeconds: 1 }), startSshd()]);
    ({ key, districtId } = await createDistrictWithKey(system, 'Ending USD'));
    const students = Array.from({ length: ROWS }, (_, i) => ({ studentNumber: String(i + 1), firstName: 'F', lastName: `L${i + 1}` }));
    assert.equal((await system.call('PUT', '/api/students', { key, body: students })).status, 200);
    mappingId = (await system.call('POST', '/api/mappings', { key, body: SHORT_HEADER_MAPPING })).body.id;
  });
  after(async () => {
    await sshd?.stop();
    await system?.stop();
  });

  it('a canceled run ends canceled after its chunk in flight, keeps its committed chunks whole, cleans its staging, and the import runs again', async () => {
    const { importId, file } = await importWithFile('Canceled');
    // students 5 and 6 are chunk 2 (rows 4 and 5): chunks 0 and 1 commit, chunk 2 waits
    const lock = await holdStudent('5');
    const { runId, workflowId } = await startRun(importId);
    try {
      await waitUntil('chunks 0 and 1 are committed', async () => (await runOf(runId)).progress.rowsApplied === 2 * CHUNK);
      const canceled = await system.call('POST', `/api/runs/${runId}/cancel`, { key });
      assert.equal(canceled.status, 202, canceled.text);
      const pending = async () => (await system.client.workflow.getHandle(workflowId).describe()).raw.pendingActivities ?? [];
      await waitUntil('the chunk in flight is asked to stop', async () => (await pending()).some((a) => a.state === CANCEL_REQUESTED));
    } finally {
      await lock.release();
    }
    const run = await waitForRun(system, key, runId);

    assert.equal(run.status, 'canceled', JSON.stringify(run.error));
    assert.equal(run.progress.rowsApplied, 3 * CHUNK, 'the chunk in flight committed whole, then nothing more');
    assert.equal(await chunks(runId), 3);
    const applied = await system.db.query<{ n: string }>(
      `select s.student_number as n from eligibility_records e join students s on s.id = e.student_id where s.district_id = $1 order by s.student_number::int`,
      [districtId],
    );
    assert.deepEqual(applied.rows.map((r) => r.n), ['1', '2', '3', '4', '5', '6']);
    assert.equal(await stagedRows(runId), 0, 'staging cleaned');
    assert.deepEqual(filesIn(file), [FILE_NAME], 'the file stays in place, not renamed');
    const report = (await system.call('GET', `/api/runs/${runId}/report`, { key })).body;
    const problem = report.problems.find((p: { code: string }) => p.code === 'RUN_CANCELED');
    assert.equal(problem?.severity, 'warning', JSON.stringify(report.problems));
    assert.match(problem.message, /6 row\(s\) in 3 committed chunk\(s\) were applied and kept; 1 file\(s\) were not processed/);
    assert.equal((await system.call('POST', `/api/runs/${runId}/cancel`, { key })).body.error?.code, 'RUN_ENDED');

    const next = await waitForRun(system, key, (await startRun(importId)).runId);
    assert.equal(next.status, 'completed', JSON.stringify(next.error));
  });

  it('a run left running without a workflow (the API stopped before starting it) is ended by the reaper, and the import runs again', async () => {
    const { importId } = await importWithFile('Lost');
    const imp = (await findImportById(system.db, importId))!;
    const runId = randomUUID();
    await createRun(system.db, { id: runId, imp, mode: 'run', trigger: 'manual', workflowId: `run/ending-usd/lost/${runId}` });
    await markRunRunning(system.db, runId);
    assert.equal((await system.call('POST', `/api/imports/${importId}/run`, { key })).body.error?.code, 'RUN_IN_PROGRESS', 'the import is held');

    await reapUntil('the lost run has failed', async () => (await runOf(runId)).status === 'failed');
    assert.equal((await runOf(runId)).error.code, 'WORKFLOW_LOST');
    const next = await waitForRun(system, key, (await startRun(importId)).runId);
    assert.equal(next.status, 'completed', JSON.stringify(next.error));
  });

  it('a run whose workflow was terminated is ended by the reaper with its staging cleaned, and the import runs again', async () => {
    const { importId, file } = await importWithFile('Terminated');
    const lock = await holdStudent('5');
    let runId = '';
    try {
      const started = await startRun(importId);
      runId = started.runId;
      await waitUntil('chunks 0 and 1 are committed', async () => (await runOf(runId)).progress.rowsApplied === 2 * CHUNK);
      assert.ok((await stagedRows(runId)) > 0, 'the file is staged');
      await system.client.workflow.getHandle(started.workflowId).terminate('test');
    } finally {
      await lock.release();
    }

    await reapUntil('the terminated run has failed', async () => (await runOf(runId)).status === 'failed');
    assert.equal((await runOf(runId)).error.code, 'WORKFLOW_TERMINATED');
    assert.equal(await stagedRows(runId), 0, 'staging cleaned');
    assert.ok(existsSync(file), 'the file stays in place');
    const next = await waitForRun(system, key, (await startRun(importId)).runId);
    assert.equal(next.status, 'completed', JSON.stringify(next.error));
  });
});
