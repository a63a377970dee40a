import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startSshd, type TestSshd } from '../sources/sshd';
import { createEligibilityImport, hasPendingActivity, waitUntil } from '../support/batch';
import { BATCH_RIGHTS, createDistrictWithKey, DATA_TEAM_RIGHTS, makeServerDir, SHORT_HEADER_MAPPING } from '../support/fixtures';
import { startTestSystem, waitForRun, type TestSystem } from '../support/system';
import { startTcpGate, type TcpGate } from '../support/tcp-gate';

interface District {
  districtId: string;
  key: string;
  mappingId: string;
}

interface Started {
  runId: string;
  workflowId: string;
}

/**
 * Task priority and fairness on the dev server the tests and `npm start` use (one task-queue partition,
 * fairness on). The worker runs one activity at a time; a busy run holds that slot (its listing waits at
 * a gate in front of sshd) while other runs queue up behind it. The order their first activities then
 * run in is the order their runs start.
 */
describe('task priority and district fairness', () => {
  let system: TestSystem;
  let sshd: TestSshd;
  let gate: TcpGate;
  let a: District;
  let b: District;
  let imports = 0;

  async function districtNamed(name: string): Promise<District> {
    const { districtId, key } = await createDistrictWithKey(system, name, 'UTC', [...DATA_TEAM_RIGHTS, ...BATCH_RIGHTS]);
    return { districtId, key, mappingId: (await system.call('POST', '/api/mappings', { key, body: SHORT_HEADER_MAPPING })).body.id };
  }

  /** A new import (a real run holds its import) over an empty directory, reached through the gate when asked. */
  async function newImport(d: District, viaGate = false): Promise<string> {
    const dir = `p${++imports}`;
    makeServerDir(sshd, dir);
    const connection = { ...sshd.connection(dir), ...(viaGate ? { port: gate.port } : {}) };
    return createEligibilityImport(system, d.key, { name: `Import ${imports}`, mappingId: d.mappingId, connection });
  }

  async function run(d: District, importId: string): Promise<Started> {
    const started = await system.call('POST', `/api/imports/${importId}/run`, { key: d.key });
    assert.equal(started.status, 202, started.text);
    return started.body;
  }

  async function batch(d: District, importId: string, highPriority: boolean): Promise<Started> {
    const submitted = await system.call('POST', `/api/imports/${importId}/batch`, { key: d.key, body: { startAt: new Date().toISOString(), highPriority } });
    assert.equal(submitted.status, 202, submitted.text);
    return submitted.body;
  }

  /** Starts a run whose listing holds the worker's only activity slot until the gate opens. */
  async function busyRun(d: District): Promise<Started> {
    gate.close();
    const busy = await run(d, await newImport(d, true));
    await waitUntil('the busy run holds the activity slot', () => gate.waiting() > 0);
    return busy;
  }

  /** Waits until every queued run's first activity is in the task queue, opens the gate, and returns each run's start time. */
  async function releaseAndTimeStarts(queued: { key: string; started: Started }[]): Promise<number[]> {
    for (const { started } of queued) await waitUntil('the run has scheduled its first activity', () => hasPendingActivity(system, started.workflowId));
    gate.open();
    const runs = await Promise.all(queued.map(({ key, started }) => waitForRun(system, key, started.runId)));
    for (const r of runs) assert.equal(r.status, 'completed', JSON.stringify(r.error));
    return runs.map((r) => Date.parse(r.startedAt));
  }

  async function priorityOf(workflowId: string): Promise<[number | null | undefined, string | null | undefined]> {
    const priority = (await system.client.workflow.getHandle(workflowId).describe()).raw.workflowExecutionInfo?.priority;
    return [priority?.priorityKey, priority?.fairnessKey];
  }

  before(async () => {
    [system, sshd] = await Promise.all([startTestSystem({ inProcessWorker: false, maxConcurrentRunsPerDistrict: 20 }), startSshd()]);
    gate = await startTcpGate(sshd);
    await system.startWorker({ maxConcurrentActivityTaskExecutions: 1, maxEagerActivityReservationsPerWorkflowTask: 0 });
    [a, b] = [await districtNamed('District A'), await districtNamed('District B')];
  });
  after(async () => {
    await gate?.stop();
    await sshd?.stop();
    await system?.stop();
  });

  it('a high-priority batch submission starts before normal runs queued ahead of it', async () => {
    const normalImports = await Promise.all([1, 2, 3, 4].map(() => newImport(a)));
    const highImport = await newImport(a);
    const busy = await busyRun(a);
    const normal: Started[] = [];
    for (const importId of normalImports) normal.push(await run(a, importId));
    const high = await batch(a, highImport, true);
    assert.deepEqual(await priorityOf(high.workflowId), [1, a.districtId]);
    assert.deepEqual(await priorityOf(normal[0]!.workflowId), [3, a.districtId]);

    const [, highStart, ...normalStarts] = await releaseAndTimeStarts([busy, high, ...normal].map((started) => ({ key: a.key, started })));
    assert.ok(normalStarts.every((start) => highStart! < start), `high ${highStart}, normal ${normalStarts.join(', ')}`);
  });

  it('scheduled runs carry the district as fairness key at normal priority, as manual and batch runs do', async () => {
    const importId = await newImport(b);
    const patched = await system.call('PATCH', `/api/imports/${importId}`, { key: b.key, body: { schedule: { frequency: 'daily', time: '22:00' } } });
    assert.equal(patched.status, 200, patched.text);
    const priorities: unknown[] = [];
    for await (const summary of system.client.schedule.list()) {
      const schedule = await system.client.schedule.getHandle(summary.scheduleId).describe();
      if (schedule.action.type === 'startWorkflow' && (schedule.action.args?.[0] as { importId?: string } | undefined)?.importId === importId) {
        priorities.push([schedule.action.priority?.priorityKey, schedule.action.priority?.fairnessKey]);
      }
    }
    assert.deepEqual(priorities, [[3, b.districtId]]);
  });

  it('one district’s backlog does not hold back another district’s run: it starts next, not after all of them', async () => {
    const aImports = await Promise.all([1, 2, 3, 4, 5, 6].map(() => newImport(a)));
    const bImport = await newImport(b);
    const busy = await busyRun(a);
    const aRuns: Started[] = [];
    for (const importId of aImports) aRuns.push(await run(a, importId));
    const bRun = await run(b, bImport);
    assert.deepEqual(await priorityOf(bRun.workflowId), [3, b.districtId]);

    const [, bStart, ...aStarts] = await releaseAndTimeStarts([{ key: a.key, started: busy }, { key: b.key, started: bRun }, ...aRuns.map((started) => ({ key: a.key, started }))]);
    // first come, first served, B would start after (nearly) all of A's; fairly, it starts after at most one
    const aheadOfB = aStarts.filter((start) => start < bStart!).length;
    assert.ok(aheadOfB <= 1, `${aheadOfB} of A's ${aStarts.length} queued runs started before B's`);
  });
});
