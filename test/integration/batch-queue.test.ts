import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createBatchRetentionActivity } from '../../activities/batch-retention';
import { BATCH_RETENTION_SCHEDULE_ID } from '../../worker/maintenance-schedule';
import { startSshd, type TestSshd } from '../sources/sshd';
import { createEligibilityImport, waitUntil } from '../support/batch';
import { BATCH_RIGHTS, createDistrictWithKey, DATA_TEAM_RIGHTS, putServerFile, SHORT_HEADER_MAPPING } from '../support/fixtures';
import { startTestSystem, waitForRun, type TestSystem } from '../support/system';
import { startTcpGate, type TcpGate } from '../support/tcp-gate';

const DAY_MS = 24 * 60 * 60 * 1000;
const FILE_NAME = 'IC_Eligibility_1.csv';

/** The Batch Queue: what it lists, cancelling a queued submission, deleting a finished one, and retention. */
describe('the Batch Queue', () => {
  let system: TestSystem;
  let sshd: TestSshd;
  let gate: TcpGate;
  let key = '';
  let otherKey = '';
  let mappingId = '';
  let dirs = 0;

  /** An import of its own over a directory with one eligibility file (for student 1 unless named); returns its id and the file's local path. */
  async function importWithFile(name: string, options: { viaGate?: boolean; student?: string } = {}): Promise<{ importId: string; file: string }> {
    const dir = `q${++dirs}`;
    const file = putServerFile(sshd, dir, FILE_NAME, `ID,S,T,A,B\n${options.student ?? '1'},F,D,08/01/2025,\n`);
    const viaGate = options.viaGate ?? false;
    const connection = { ...sshd.connection(dir), ...(viaGate ? { port: gate.port } : {}) };
    return { importId: await createEligibilityImport(system, key, { name, mappingId, connection }), file };
  }

  const submit = async (importId: string, startAt: Date, options: { keepUntilDeleted?: boolean } = {}) => {
    const submitted = await system.call('POST', `/api/imports/${importId}/batch`, { key, body: { startAt: startAt.toISOString(), ...options } });
    assert.equal(submitted.status, 202, submitted.text);
    return submitted.body as { batchId: string; runId: string; workflowId: string };
  };
  const queue = async (asKey = key) => (await system.call('GET', '/api/batch-queue', { key: asKey })).body as { batchId: string; status: string }[];
  const statusIn = async (batchId: string) => (await queue()).find((b) => b.batchId === batchId)?.status;
  const now = () => new Date();
  const nextMonth = () => new Date(Date.now() + 30 * DAY_MS);

  before(async () => {
    [system, sshd] = await Promise.all([startTestSystem(), startSshd()]);
    gate = await startTcpGate(sshd);
    ({ key } = await createDistrictWithKey(system, 'Queue USD', 'UTC', [...DATA_TEAM_RIGHTS, ...BATCH_RIGHTS]));
    ({ key: otherKey } = await createDistrictWithKey(system, 'Other USD', 'UTC', [...DATA_TEAM_RIGHTS, ...BATCH_RIGHTS]));
    await system.call('PUT', '/api/students', { key, body: ['1', '2'].map((studentNumber) => ({ studentNumber, firstName: 'A', lastName: 'B' })) });
    mappingId = (await system.call('POST', '/api/mappings', { key, body: SHORT_HEADER_MAPPING })).body.id;
  });
  after(async () => {
    await gate?.stop();
    await sshd?.stop();
    await system?.stop();
  });

  it('lists the district’s submissions with their status: queued, processing, completed, failed, canceled', async () => {
    const queued = await submit((await importWithFile('Listed Queued')).importId, nextMonth());
    const completed = await submit((await importWithFile('Listed Completed')).importId, now());
    const failing = await createEligibilityImport(system, key, { name: 'Listed Failed', mappingId, connection: sshd.connection('no-such-directory') });
    const failed = await submit(failing, now());
    const canceled = await submit((await importWithFile('Listed Canceled')).importId, nextMonth());
    assert.equal((await system.call('DELETE', `/api/batch-queue/${canceled.batchId}`, { key })).status, 200);
    gate.close();
    const processing = await submit((await importWithFile('Listed Processing', { viaGate: true })).importId, now());
    await Promise.all([waitForRun(system, key, completed.runId), waitForRun(system, key, failed.runId)]);
    await waitUntil('the gated batch is processing', async () => (await statusIn(processing.batchId)) === 'processing');

    const listed = new Map((await queue()).map((b) => [b.batchId, b.status]));
    assert.deepEqual(
      [queued, processing, completed, failed, canceled].map((b) => listed.get(b.batchId)),
      ['queued', 'processing', 'completed', 'failed', 'canceled'],
    );
    gate.open();
    await waitForRun(system, key, processing.runId);
  });

  it('another district sees none of them, and its DELETE answers 404', async () => {
    const { batchId } = await submit((await importWithFile('Not Theirs')).importId, nextMonth());
    assert.equal((await queue(otherKey)).length, 0);
    const refused = await system.call('DELETE', `/api/batch-queue/${batchId}`, { key: otherKey });
    assert.equal(refused.status, 404, refused.text);
    assert.equal(await statusIn(batchId), 'queued');
  });

  it('cancelling a queued submission cancels its workflow, ends its run canceled, applies nothing, and leaves the import free', async () => {
    const { importId, file } = await importWithFile('Cancel Me', { student: '2' });
    const { batchId, runId, workflowId } = await submit(importId, nextMonth());
    const canceled = await system.call('DELETE', `/api/batch-queue/${batchId}`, { key });
    assert.equal(canceled.status, 200, canceled.text);
    assert.equal(canceled.body.status, 'canceled');

    const handle = system.client.workflow.getHandle(workflowId);
    await waitUntil('the workflow is canceled', async () => (await handle.describe()).status.name === 'CANCELLED');
    const run = (await system.call('GET', `/api/runs/${runId}`, { key })).body;
    assert.deepEqual([run.status, run.startedAt, run.progress.rowsRead, run.files], ['canceled', null, 0, []]);
    assert.ok(existsSync(file), 'the file was not renamed');
    assert.deepEqual((await system.call('GET', '/api/students/2', { key })).body.eligibility, []);

    const later = await system.call('POST', `/api/imports/${importId}/run`, { key });
    assert.equal(later.status, 202, later.text);
    const after = await waitForRun(system, key, later.body.runId);
    assert.equal(after.status, 'completed', JSON.stringify(after.error));
    assert.equal((await system.call('GET', '/api/students/2', { key })).body.eligibility.length, 1);
    assert.ok(!existsSync(file), 'the later run renamed the file');
  });

  it('a workflow canceled in Temporal while it waits (e.g. from the Web UI) ends its run canceled, and the import stays free', async () => {
    const { importId } = await importWithFile('Canceled In Temporal');
    const { batchId, runId, workflowId } = await submit(importId, nextMonth());
    await system.client.workflow.getHandle(workflowId).cancel();
    const run = await waitForRun(system, key, runId);
    assert.deepEqual([run.status, run.startedAt], ['canceled', null]);
    assert.equal(await statusIn(batchId), 'canceled');
    const later = await system.call('POST', `/api/imports/${importId}/run`, { key });
    assert.equal(later.status, 202, later.text);
    assert.equal((await waitForRun(system, key, later.body.runId)).status, 'completed');
  });

  it('a processing submission cannot be deleted: 409 BATCH_PROCESSING', async () => {
    gate.close();
    const { batchId, runId } = await submit((await importWithFile('Busy Batch', { viaGate: true })).importId, now());
    await waitUntil('the gated batch is processing', async () => (await statusIn(batchId)) === 'processing');
    const refused = await system.call('DELETE', `/api/batch-queue/${batchId}`, { key });
    assert.equal(refused.status, 409, refused.text);
    assert.equal(refused.body.error.code, 'BATCH_PROCESSING');
    gate.open();
    assert.equal((await waitForRun(system, key, runId)).status, 'completed');
  });

  it('deleting a finished submission removes it, its run and its report', async () => {
    const { batchId, runId } = await submit((await importWithFile('Delete Me')).importId, now());
    await waitForRun(system, key, runId);
    assert.equal((await system.call('GET', `/api/runs/${runId}/report`, { key })).status, 200);

    const deleted = await system.call('DELETE', `/api/batch-queue/${batchId}`, { key });
    assert.equal(deleted.status, 204, deleted.text);
    assert.equal((await system.call('GET', `/api/runs/${runId}/report`, { key })).status, 404);
    assert.equal(await statusIn(batchId), undefined);
    const { rows } = await system.db.query('select count(*)::int as n from report_records r join run_files f on f.id = r.run_file_id where f.run_id = $1', [runId]);
    assert.equal(rows[0].n, 0);
  });

  it('retention removes finished results older than BATCH_RETENTION_DAYS, except those kept until deleted', async () => {
    const plain = await submit((await importWithFile('Expiring')).importId, now());
    const kept = await submit((await importWithFile('Kept')).importId, now(), { keepUntilDeleted: true });
    const waiting = await submit((await importWithFile('Still Waiting')).importId, nextMonth());
    await Promise.all([waitForRun(system, key, plain.runId), waitForRun(system, key, kept.runId)]);
    const retentionAt = (daysLater: number) =>
      createBatchRetentionActivity({ db: system.db, config: { batchRetentionDays: 7 }, now: () => new Date(Date.now() + daysLater * DAY_MS) }).removeExpiredBatches();

    await retentionAt(6);
    assert.deepEqual(await Promise.all([plain, kept, waiting].map((b) => statusIn(b.batchId))), ['completed', 'completed', 'queued'], 'nothing is removed before 7 days');

    const { removed } = await retentionAt(8);
    assert.ok(removed >= 1);
    assert.deepEqual(await Promise.all([plain, kept, waiting].map((b) => statusIn(b.batchId))), [undefined, 'completed', 'queued']);
    assert.equal((await system.call('GET', `/api/runs/${plain.runId}/report`, { key })).status, 404);
    assert.equal((await system.call('GET', `/api/runs/${kept.runId}/report`, { key })).status, 200);
  });

  it('the worker keeps an hourly maintenance schedule that runs the retention workflow', async () => {
    const schedule = await system.client.schedule.getHandle(BATCH_RETENTION_SCHEDULE_ID).describe();
    assert.deepEqual(schedule.spec.intervals?.map((i) => i.every), [60 * 60 * 1000]);
    assert.equal(schedule.action.type, 'startWorkflow');
    assert.equal(schedule.action.workflowType, 'batchRetentionWorkflow');
    assert.equal(schedule.action.taskQueue, system.config.temporal.taskQueue);
  });

  it('a worker starting leaves the maintenance schedule as an operator paused it', async () => {
    const handle = system.client.schedule.getHandle(BATCH_RETENTION_SCHEDULE_ID);
    await handle.pause('paused by an operator');
    const worker = await system.startWorker();
    await worker.stop();
    const schedule = await handle.describe();
    assert.deepEqual([schedule.state.paused, schedule.state.note], [true, 'paused by an operator']);
    assert.equal(schedule.action.type === 'startWorkflow' && schedule.action.workflowType, 'batchRetentionWorkflow');
    await handle.unpause();
  });
});
