import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ScheduleNotFoundError, type ScheduleDescription } from '@temporalio/client';
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

  const scheduleId = (name: string) => `schedule/lincoln-usd/${name}-${importId.slice(0, 8)}`;

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
    assert.match(runs[0]!.workflowId, /^run\/lincoln-usd\/nightly\/scheduled-/);
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
    const id = `schedule/lincoln-usd/weekly-${sleeping.body.id.slice(0, 8)}`;
    assert.equal((await describeSchedule(id)).state.paused, true);
    assert.equal((await system.call('DELETE', `/api/imports/${sleeping.body.id}`, { key })).status, 204);
    await absent(id);
    assert.deepEqual(await scheduleIds(), []);
  });
});
