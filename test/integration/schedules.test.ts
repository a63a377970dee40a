import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, Connection, ScheduleNotFoundError, type ScheduleDescription } from '@temporalio/client';
import { createTemporalScheduleManager } from '../../api/import-schedules';
import { refreshImportSchedules } from '../../api/schedule-refresh';
import { serveApi } from '../../api/serve';
import { legacyScheduleIdOf } from '../../domain/runs';
import { startSshd, type TestSshd } from '../sources/sshd';
import { createDistrictWithKey, putServerFile, SHORT_HEADER_MAPPING } from '../support/fixtures';
import { startTestSystem, waitForRun, type TestSystem } from '../support/system';

/** Creating, editing, deactivating and deleting an import keeps its Temporal Schedule in step (API.md). */
describe('import schedules', () => {
  let system: TestSystem;
  let sshd: TestSshd;
  let key = '';
  let mappingId = '';
  let importId = '';
  let districtId = '';

  const describeSchedule = (id: string): Promise<ScheduleDescription> => system.client.schedule.getHandle(id).describe();
  const scheduleIds = async () => {
    const ids: string[] = [];
    // imports' schedules only: the worker keeps its own maintenance schedules (maintenance/…)
    for await (const s of system.client.schedule.list()) if (!s.scheduleId.startsWith('maintenance/')) ids.push(s.scheduleId);
    return ids.sort();
  };
  const absent = async (id: string) => {
    await assert.rejects(describeSchedule(id), ScheduleNotFoundError);
  };

  before(async () => {
    [system, sshd] = await Promise.all([startTestSystem(), startSshd()]);
    putServerFile(sshd, 'in', 'IC_Eligibility_1.csv', 'ID,S,T,A,B\n1,F,D,08/01/2025,\n');
    ({ districtId, key } = await createDistrictWithKey(system, 'Lincoln USD', 'America/Chicago'));
    await system.call('PUT', '/api/students', { key, body: [{ studentNumber: '1', firstName: 'A', lastName: 'B' }] });
    mappingId = (await system.call('POST', '/api/mappings', { key, body: SHORT_HEADER_MAPPING })).body.id;
  });
  after(async () => {
    await sshd?.stop();
    await system?.stop();
  });

  const scheduleId = (name: string) => `schedule/lincoln-usd/${name}-${importId}`;

  it('creating an active import with a schedule creates a running Schedule in the district time zone', async () => {
    const created = await system.call('POST', '/api/imports', {
      key,
      body: { name: 'Nightly', kind: 'eligibility', mappingId, connection: sshd.connection('in'), schedule: { frequency: 'daily', time: '22:00' } },
    });
    assert.equal(created.status, 201, created.text);
    importId = created.body.id;
    const schedule = await describeSchedule(scheduleId('nightly'));
    assert.equal(schedule.state.paused, false);
    assert.equal(schedule.spec.timezone, 'America/Chicago');
    assert.deepEqual(schedule.spec.calendars?.map((c) => [c.hour, c.minute]), [[[{ start: 22, end: 22, step: 1 }], [{ start: 0, end: 0, step: 1 }]]]);
    assert.equal(schedule.policies.overlap, 'SKIP');
    assert.equal(schedule.action.workflowType, 'importRunWorkflow');
    assert.ok(!JSON.stringify(schedule.action).includes(String(sshd.connection('in').password)), 'no secret in the schedule');
  });

  it('deactivating pauses it, activating resumes it', async () => {
    await system.call('PATCH', `/api/imports/${importId}`, { key, body: { active: false } });
    assert.equal((await describeSchedule(scheduleId('nightly'))).state.paused, true);
    await system.call('PATCH', `/api/imports/${importId}`, { key, body: { active: true } });
    assert.equal((await describeSchedule(scheduleId('nightly'))).state.paused, false);
  });

  it('editing the schedule updates it; EOM becomes four calendars', async () => {
    const res = await system.call('PATCH', `/api/imports/${importId}`, { key, body: { schedule: { frequency: 'monthly', time: '23:30', dayOfMonth: 'EOM', timeZone: 'America/Denver' } } });
    assert.equal(res.status, 200, res.text);
    const schedule = await describeSchedule(scheduleId('nightly'));
    assert.equal(schedule.spec.calendars?.length, 4);
    assert.equal(schedule.spec.timezone, 'America/Denver');
  });

  it('a scheduled run is a run with trigger "schedule", listed under the import', async () => {
    await system.client.schedule.getHandle(scheduleId('nightly')).trigger();
    let runs: { id: string; trigger: string; workflowId: string }[] = [];
    for (let i = 0; i < 100 && runs.length === 0; i++) {
      runs = (await system.call('GET', `/api/runs?importId=${importId}`, { key })).body;
      if (runs.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(runs.length, 1);
    assert.equal(runs[0]!.trigger, 'schedule');
    assert.equal(runs[0]!.workflowId.startsWith(`run/lincoln-usd/nightly-${importId}/scheduled-`), true, runs[0]!.workflowId);
    const run = await waitForRun(system, key, runs[0]!.id);
    assert.equal(run.status, 'completed', JSON.stringify(run.error));
    assert.equal(run.summary.new, 1);
    const execution = await system.client.workflow.getHandle(run.workflowId).describe();
    const attributes = Object.fromEntries(execution.typedSearchAttributes.getAll().map((p) => [p.key.name, p.value]));
    assert.deepEqual([attributes.DistrictId, attributes.ImportId, attributes.RunMode], [districtId, importId, 'run']);
    assert.equal(attributes.TemporalScheduledById, scheduleId('nightly'));
  });

  it('renaming moves the schedule to the new name', async () => {
    await system.call('PATCH', `/api/imports/${importId}`, { key, body: { name: 'Monthly Close' } });
    await absent(scheduleId('nightly'));
    assert.equal((await describeSchedule(scheduleId('monthly-close'))).spec.calendars?.length, 4);
  });

  it('removing the schedule deletes it; an inactive import gets a paused one; deleting the import deletes it', async () => {
    await system.call('PATCH', `/api/imports/${importId}`, { key, body: { schedule: null } });
    await absent(scheduleId('monthly-close'));
    const sleeping = await system.call('POST', '/api/imports', {
      key,
      body: { name: 'Weekly', kind: 'eligibility', active: false, mappingId, connection: sshd.connection('in'), schedule: { frequency: 'weekly', time: '06:15', weekday: 'monday' } },
    });
    const id = `schedule/lincoln-usd/weekly-${sleeping.body.id}`;
    assert.equal((await describeSchedule(id)).state.paused, true);
    assert.equal((await system.call('DELETE', `/api/imports/${sleeping.body.id}`, { key })).status, 204);
    await absent(id);
    assert.deepEqual(await scheduleIds(), []);
  });

  describe('two districts named alike, each with an import named alike, due at the same minute', () => {
    const twins: { districtId: string; key: string; importId: string }[] = [];
    const twinScheduleId = (twin: { importId: string }) => `schedule/lincoln-usd/twin-${twin.importId}`;

    before(async () => {
      const other = await createDistrictWithKey(system, 'Lincoln USD', 'America/Chicago');
      for (const [n, district] of [{ districtId, key }, other].entries()) {
        const dir = `twin-${n}`;
        putServerFile(sshd, dir, 'IC_Eligibility_1.csv', 'ID,S,T,A,B\n1,F,D,08/01/2025,\n');
        await system.call('PUT', '/api/students', { key: district.key, body: [{ studentNumber: '1', firstName: 'A', lastName: 'B' }] });
        const mapping = (await system.call('POST', '/api/mappings', { key: district.key, body: SHORT_HEADER_MAPPING })).body.id;
        const created = await system.call('POST', '/api/imports', {
          key: district.key,
          body: { name: 'Twin', kind: 'eligibility', mappingId: mapping, connection: sshd.connection(dir), schedule: { frequency: 'daily', time: '22:00' } },
        });
        assert.equal(created.status, 201, created.text);
        twins.push({ ...district, importId: created.body.id });
      }
    });

    it('get a schedule each, whose runs get different workflow ids', async () => {
      const [a, b] = await Promise.all(twins.map((twin) => describeSchedule(twinScheduleId(twin))));
      assert.deepEqual(a!.info.nextActionTimes, b!.info.nextActionTimes);
      assert.notEqual(a!.action.workflowId, b!.action.workflowId);
    });

    it('both run when triggered at once: completed runs with trigger "schedule" and readable, different workflow ids', async () => {
      await Promise.all(twins.map((twin) => system.client.schedule.getHandle(twinScheduleId(twin)).trigger()));
      for (const twin of twins) {
        const run = await waitForRun(system, twin.key, (await firstRunOf(twin)).id);
        assert.equal(run.status, 'completed', JSON.stringify(run.error));
        assert.equal(run.trigger, 'schedule');
        assert.match(run.workflowId, new RegExp(`^run/lincoln-usd/twin-${twin.importId}/scheduled-\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$`));
      }
    });

    it('their dry runs started at once get readable workflow ids ending in their run ids', async () => {
      const started = await Promise.all(twins.map((twin) => system.call('POST', `/api/imports/${twin.importId}/test`, { key: twin.key })));
      for (const { body } of started) assert.match(body.workflowId, new RegExp(`^test/lincoln-usd/twin/\\d{8}T\\d{6}Z-${body.runId}$`));
      await Promise.all(started.map(({ body }, n) => waitForRun(system, twins[n]!.key, body.runId)));
    });

    async function firstRunOf(twin: { key: string; importId: string }): Promise<{ id: string }> {
      for (let i = 0; i < 100; i++) {
        const runs = (await system.call('GET', `/api/runs?importId=${twin.importId}`, { key: twin.key })).body;
        if (runs.length > 0) return runs[0];
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`no run of import ${twin.importId}`);
    }

    it('GET /api/imports/:id shows the next five runs, as the schedule itself computes them', async () => {
      const [twin] = twins;
      const got = await system.call('GET', `/api/imports/${twin!.importId}`, { key: twin!.key });
      assert.equal(got.status, 200, got.text);
      const schedule = await describeSchedule(twinScheduleId(twin!));
      assert.deepEqual(got.body.nextRuns, schedule.info.nextActionTimes.slice(0, 5).map((at) => at.toISOString()));
    });

    it('GET /api/imports/:id shows the newest run as lastRun', async () => {
      const [twin] = twins;
      // after the scheduled run, a dry run
      const dryRun = await system.call('POST', `/api/imports/${twin!.importId}/test`, { key: twin!.key });
      const finished = await waitForRun(system, twin!.key, dryRun.body.runId);
      const got = await system.call('GET', `/api/imports/${twin!.importId}`, { key: twin!.key });
      assert.deepEqual(got.body.lastRun, { id: finished.id, status: finished.status, finishedAt: finished.finishedAt });
    });

    it('nextRuns is [] while the import is inactive (its schedule paused)', async () => {
      const [twin] = twins;
      await system.call('PATCH', `/api/imports/${twin!.importId}`, { key: twin!.key, body: { active: false } });
      assert.deepEqual((await system.call('GET', `/api/imports/${twin!.importId}`, { key: twin!.key })).body.nextRuns, []);
    });

    it('an import without a schedule that never ran: nextRuns [], lastRun null', async () => {
      const [twin] = twins;
      const plain = await system.call('POST', '/api/imports', { key: twin!.key, body: { name: 'Unscheduled', kind: 'eligibility', mappingId, connection: sshd.connection('in') } });
      const got = (await system.call('GET', `/api/imports/${plain.body.id}`, { key: twin!.key })).body;
      assert.deepEqual([got.nextRuns, got.lastRun], [[], null]);
    });

    it('when Temporal does not answer, GET /api/imports/:id still shows the import, with nextRuns null and a note', async () => {
      const unreachable = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
      const api = system.apiWith({}, { schedules: createTemporalScheduleManager(unreachable, system.config.temporal.taskQueue) });
      const [, twin] = twins;
      const got = await api('GET', `/api/imports/${twin!.importId}`, { key: twin!.key });
      assert.equal(got.status, 200, got.text);
      assert.equal(got.body.nextRuns, null);
      assert.match(got.body.nextRunsNote, /Temporal did not answer/);
    });
  });

  describe('a schedule an earlier build made (its id with 8 hex digits of the import id)', () => {
    let legacy = { importId: '', scheduleId: '' };

    before(async () => {
      const created = await system.call('POST', '/api/imports', {
        key,
        body: { name: 'Early Bird', kind: 'eligibility', mappingId, connection: sshd.connection('in'), schedule: { frequency: 'daily', time: '01:30' } },
      });
      legacy = { importId: created.body.id, scheduleId: legacyScheduleIdOf({ districtName: 'Lincoln USD', importName: 'Early Bird', importId: created.body.id }) };
    });

    /** The state an earlier build left: only the old id, wall-clock calendars, the old workflow id. */
    async function makeLegacy() {
      for (const id of [`schedule/lincoln-usd/early-bird-${legacy.importId}`, legacy.scheduleId]) await system.client.schedule.getHandle(id).delete().catch(() => undefined);
      await system.client.schedule.create({
        scheduleId: legacy.scheduleId,
        spec: { calendars: [{ hour: 1, minute: 30 }], timezone: 'America/Chicago' },
        action: { type: 'startWorkflow', workflowType: 'importRunWorkflow', taskQueue: system.config.temporal.taskQueue, workflowId: 'run/lincoln-usd/early-bird/scheduled', args: [{ importId: legacy.importId, mode: 'run', trigger: 'schedule' }] },
        state: { paused: true },
      });
    }

    it('is replaced by the refresh: the current id, the daylight-saving calendars, the current workflow id', async () => {
      await makeLegacy();
      const result = await refreshImportSchedules(system.db, createTemporalScheduleManager(system.client, system.config.temporal.taskQueue));
      assert.equal(result.failed, 0);
      await absent(legacy.scheduleId);
      const schedule = await describeSchedule(`schedule/lincoln-usd/early-bird-${legacy.importId}`);
      assert.equal(schedule.spec.timezone, 'UTC');
      assert.equal(schedule.action.workflowId, `run/lincoln-usd/early-bird-${legacy.importId}/scheduled`);
    });

    it('is replaced when the API starts', async () => {
      await makeLegacy();
      const api = await serveApi(system.config, { host: '127.0.0.1', port: 0 });
      try {
        for (let i = 0; i < 100 && (await scheduleIds()).includes(legacy.scheduleId); i++) await new Promise((r) => setTimeout(r, 100));
        await absent(legacy.scheduleId);
        assert.equal((await describeSchedule(`schedule/lincoln-usd/early-bird-${legacy.importId}`)).spec.timezone, 'UTC');
      } finally {
        await api.stop();
      }
    });

    it('is replaced when the import is saved', async () => {
      await makeLegacy();
      const saved = await system.call('PATCH', `/api/imports/${legacy.importId}`, { key, body: { schedule: { frequency: 'daily', time: '05:00' } } });
      assert.equal(saved.status, 200, saved.text);
      await absent(legacy.scheduleId);
      assert.equal((await describeSchedule(`schedule/lincoln-usd/early-bird-${legacy.importId}`)).spec.timezone, 'America/Chicago');
    });
  });
});
