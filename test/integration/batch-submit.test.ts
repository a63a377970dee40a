import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startSshd, type TestSshd } from '../sources/sshd';
import { createEligibilityImport, waitUntil } from '../support/batch';
import { BATCH_RIGHTS, createDistrictWithKey, DATA_TEAM_RIGHTS, issueKey, putServerFile, SHORT_HEADER_MAPPING } from '../support/fixtures';
import { startTestSystem, waitForRun, type TestSystem } from '../support/system';
import { startTcpGate, type TcpGate } from '../support/tcp-gate';

const DAY_MS = 24 * 60 * 60 * 1000;
const FILE = 'ID,S,T,A,B\n1,F,D,08/01/2025,\n';

/** Submit to Batch on real components: the start time, the rights, and how a batch run meets other runs. */
describe('Submit to Batch', () => {
  let system: TestSystem;
  let sshd: TestSshd;
  let gate: TcpGate;
  let worker: { stop(): Promise<void> };
  let districtId = '';
  let key = '';
  let mappingId = '';
  let dirs = 0;

  /** An import of its own (a real run holds its import) over a directory with one eligibility file. */
  async function importWithFile(name: string, connection = (dir: string) => sshd.connection(dir)): Promise<string> {
    const dir = `in${++dirs}`;
    putServerFile(sshd, dir, 'IC_Eligibility_1.csv', FILE);
    return createEligibilityImport(system, key, { name, mappingId, connection: connection(dir) });
  }

  const submit = (importId: string, body: unknown, asKey = key) => system.call('POST', `/api/imports/${importId}/batch`, { key: asKey, body });
  const getRun = async (runId: string) => (await system.call('GET', `/api/runs/${runId}`, { key })).body;
  const historyOf = async (workflowId: string) => (await system.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];

  before(async () => {
    [system, sshd] = await Promise.all([startTestSystem({ inProcessWorker: false }), startSshd()]);
    gate = await startTcpGate(sshd);
    worker = await system.startWorker();
    ({ districtId, key } = await createDistrictWithKey(system, 'Batch USD', 'UTC', [...DATA_TEAM_RIGHTS, ...BATCH_RIGHTS]));
    await system.call('PUT', '/api/students', { key, body: [{ studentNumber: '1', firstName: 'A', lastName: 'B' }] });
    mappingId = (await system.call('POST', '/api/mappings', { key, body: SHORT_HEADER_MAPPING })).body.id;
  });
  after(async () => {
    await gate?.stop();
    await sshd?.stop();
    await system?.stop();
  });

  it('waits on a durable timer until startAt, across a worker restart, then runs as a real batch run', async () => {
    const importId = await importWithFile('Timed');
    const startAt = new Date(Date.now() + 8_000);
    const submitted = await submit(importId, { startAt: startAt.toISOString() });
    assert.equal(submitted.status, 202, submitted.text);
    assert.equal(submitted.body.startAt, startAt.toISOString());
    await waitUntil('the workflow has started its timer', async () => (await historyOf(submitted.body.workflowId)).some((e) => e.timerStartedEventAttributes));

    await worker.stop();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    worker = await system.startWorker();
    assert.ok(Date.now() < startAt.getTime(), 'the worker was back before the start time; the test machine is too slow for this test');
    const waiting = await getRun(submitted.body.runId);
    assert.deepEqual([waiting.status, waiting.startedAt], ['queued', null]);

    const run = await waitForRun(system, key, submitted.body.runId);
    assert.equal(run.status, 'completed', JSON.stringify(run.error));
    assert.deepEqual([run.mode, run.trigger], ['run', 'batch']);
    assert.ok(Date.parse(run.startedAt) >= startAt.getTime(), `started ${run.startedAt}, before ${startAt.toISOString()}`);
    assert.equal(run.progress.rowsApplied, 1);
  });

  it('a startAt in the past starts now, without a timer', async () => {
    const importId = await importWithFile('Past');
    const before = Date.now();
    const submitted = await submit(importId, { startAt: new Date(before - DAY_MS).toISOString() });
    assert.equal(submitted.status, 202, submitted.text);
    assert.ok(Date.parse(submitted.body.startAt) >= before - 1_000, `startAt ${submitted.body.startAt} is now`);
    const run = await waitForRun(system, key, submitted.body.runId);
    assert.equal(run.status, 'completed', JSON.stringify(run.error));
    assert.equal((await historyOf(submitted.body.workflowId)).some((e) => e.timerStartedEventAttributes), false);
  });

  it('a startAt more than a year ahead is refused with 422 naming startAt', async () => {
    const importId = await importWithFile('Far');
    const refused = await submit(importId, { startAt: new Date(Date.now() + 366 * DAY_MS).toISOString() });
    assert.equal(refused.status, 422, refused.text);
    assert.equal(refused.body.error.details[0].field, 'startAt');
  });

  it('a startAt without an offset is refused with 422 naming startAt', async () => {
    const importId = await importWithFile('No Offset');
    const refused = await submit(importId, { startAt: '2030-01-01T10:00:00' });
    assert.equal(refused.status, 422, refused.text);
    assert.equal(refused.body.error.details[0].field, 'startAt');
  });

  describe('rights', () => {
    const later = () => new Date(Date.now() + 30 * DAY_MS).toISOString();

    for (const [right, body] of [
      ['batch.submit', {}],
      ['batch.setPriority', { highPriority: true }],
      ['batch.setExpiration', { keepUntilDeleted: true }],
    ] as const) {
      it(`${right}: a key without it gets 403 RIGHT_REQUIRED naming it, and nothing is queued`, async () => {
        const importId = await importWithFile(`Without ${right.slice(6)}`);
        const { key: lacking } = await issueKey(system, districtId, `without ${right}`, [...DATA_TEAM_RIGHTS, ...BATCH_RIGHTS].filter((r) => r !== right));
        const refused = await submit(importId, { startAt: later(), ...body }, lacking);
        assert.equal(refused.status, 403, refused.text);
        assert.equal(refused.body.error.code, 'RIGHT_REQUIRED');
        assert.deepEqual(refused.body.error.details.map((d: { right: string }) => d.right), [right]);
        const { rows } = await system.db.query('select count(*)::int as n from runs where import_id = $1', [importId]);
        assert.equal(rows[0].n, 0);
      });

      it(`${right}: a key with it (and only the batch rights it needs) is accepted`, async () => {
        const importId = await importWithFile(`With ${right.slice(6)}`);
        const needed = ['batch.submit', ...(right === 'batch.submit' ? [] : [right])];
        const { key: enough } = await issueKey(system, districtId, `with ${right}`, needed);
        const accepted = await submit(importId, { startAt: later(), ...body }, enough);
        assert.equal(accepted.status, 202, accepted.text);
        const queue = (await system.call('GET', '/api/batch-queue', { key })).body;
        const entry = queue.find((b: { batchId: string }) => b.batchId === accepted.body.batchId);
        assert.deepEqual([entry.highPriority, entry.keepUntilDeleted], [right === 'batch.setPriority', right === 'batch.setExpiration']);
      });
    }
  });

  it('an inactive import cannot be submitted: 409 IMPORT_INACTIVE', async () => {
    const importId = await importWithFile('Inactive');
    await system.call('PATCH', `/api/imports/${importId}`, { key, body: { active: false } });
    const refused = await submit(importId, { startAt: new Date().toISOString() });
    assert.equal(refused.status, 409, refused.text);
    assert.equal(refused.body.error.code, 'IMPORT_INACTIVE');
  });

  it('a batch whose import is inactive when it is due fails IMPORT_INACTIVE and reads nothing', async () => {
    const importId = await importWithFile('Deactivated');
    const submitted = await submit(importId, { startAt: new Date(Date.now() + 3_000).toISOString() });
    assert.equal(submitted.status, 202, submitted.text);
    await system.call('PATCH', `/api/imports/${importId}`, { key, body: { active: false } });
    const run = await waitForRun(system, key, submitted.body.runId);
    assert.deepEqual([run.status, run.error?.code, run.files], ['failed', 'IMPORT_INACTIVE', []]);
  });

  it('a batch waiting for its start time does not hold the import: a manual run goes ahead', async () => {
    const importId = await importWithFile('Not Held');
    const submitted = await submit(importId, { startAt: new Date(Date.now() + 30 * DAY_MS).toISOString() });
    assert.equal(submitted.status, 202, submitted.text);
    const manual = await system.call('POST', `/api/imports/${importId}/run`, { key });
    assert.equal(manual.status, 202, manual.text);
    assert.equal((await waitForRun(system, key, manual.body.runId)).status, 'completed');
  });

  it('a batch due while another real run holds the import waits for it, then runs', async () => {
    const importId = await importWithFile('Held', (dir) => ({ ...sshd.connection(dir), port: gate.port }));
    gate.close();
    const manual = await system.call('POST', `/api/imports/${importId}/run`, { key });
    await waitUntil('the manual run is connecting', () => gate.waiting() > 0);
    const submitted = await submit(importId, { startAt: new Date().toISOString() });
    assert.equal(submitted.status, 202, submitted.text);

    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const waiting = await getRun(submitted.body.runId);
    assert.deepEqual([waiting.status, waiting.startedAt], ['queued', null]);

    gate.open();
    const first = await waitForRun(system, key, manual.body.runId);
    const batch = await waitForRun(system, key, submitted.body.runId);
    assert.equal(batch.status, 'completed', JSON.stringify(batch.error));
    assert.ok(Date.parse(batch.startedAt) >= Date.parse(first.finishedAt), `batch started ${batch.startedAt}, before the run holding the import finished at ${first.finishedAt}`);
  });
});
