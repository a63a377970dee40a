import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../activities';
import { DISTRICT_RUN_CAP_RETRY_AFTER_SECONDS } from '../../api/routes/imports';
import { findImportById } from '../../db/queries/imports';
import { insertRun } from '../../db/queries/runs';
import { enforceDistrictRunCap } from '../../runs/district-run-cap';
import { connectFileSource } from '../../sources/connect';
import { API_EXAMPLE_MAPPING } from '../support/api-example-mapping';
import { createDistrictWithKey } from '../support/fixtures';
import { startTestSystem, type CallApi, type TestSystem } from '../support/system';

// Never connected to: no worker polls, so every run started here stays queued and holds its place.
const CONNECTION = { protocol: 'sftp', host: '127.0.0.1', username: 'svc', password: 'pw-fair-use-1', directoryPath: 'in' };

describe('fair use', () => {
  let system: TestSystem;

  before(async () => {
    system = await startTestSystem({ inProcessWorker: false });
  });
  after(() => system?.stop());

  /** A district, its data team's key and `count` imports. */
  async function districtWithImports(name: string, count: number): Promise<{ districtId: string; key: string; importIds: string[] }> {
    const { districtId, key } = await createDistrictWithKey(system, name);
    const mapping = await system.call('POST', '/api/mappings', { key, body: API_EXAMPLE_MAPPING });
    assert.equal(mapping.status, 201, mapping.text);
    const importIds: string[] = [];
    for (let i = 0; i < count; i++) {
      const imp = await system.call('POST', '/api/imports', { key, body: { name: `Import ${i}`, kind: 'eligibility', mappingId: mapping.body.id, connection: CONNECTION } });
      assert.equal(imp.status, 201, imp.text);
      importIds.push(imp.body.id);
    }
    return { districtId, key, importIds };
  }

  const activeRuns = async (where: { districtId?: string; importId?: string; mode?: string }) => {
    const { rows } = await system.db.query(
      `select count(*)::int as n from runs where status in ('queued', 'running')
         and ($1::uuid is null or district_id = $1) and ($2::uuid is null or import_id = $2) and ($3::text is null or mode = $3)`,
      [where.districtId ?? null, where.importId ?? null, where.mode ?? null],
    );
    return rows[0].n as number;
  };

  const waitingForALock = async () => {
    const { rows } = await system.db.query(`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`);
    return rows[0].n > 0;
  };

  describe('one Test Import of an import at a time', () => {
    it('two Test Imports of one import at once: one is started, the other is 409 RUN_IN_PROGRESS', async () => {
      const { key, importIds } = await districtWithImports('Twice USD', 1);
      const answers = await Promise.all([0, 1].map(() => system.call('POST', `/api/imports/${importIds[0]}/test`, { key })));
      assert.deepEqual(answers.map((a) => a.status).sort(), [202, 409], answers.map((a) => a.text).join(' | '));
      const refused = answers.find((a) => a.status === 409)!;
      assert.equal(refused.body.error.code, 'RUN_IN_PROGRESS');
      assert.equal(await activeRuns({ importId: importIds[0], mode: 'test' }), 1);
    });

    it('a Test Import starts beside a queued real run, and again once the previous Test Import has finished', async () => {
      const { key, importIds } = await districtWithImports('Again USD', 1);
      const importId = importIds[0]!;
      assert.equal((await system.call('POST', `/api/imports/${importId}/run`, { key })).status, 202);
      const first = await system.call('POST', `/api/imports/${importId}/test`, { key });
      assert.equal(first.status, 202, first.text);
      // what the worker's completeRun writes when the Test Import ends
      await system.db.query(`update runs set status = 'completed', finished_at = now() where id = $1`, [first.body.runId]);
      const second = await system.call('POST', `/api/imports/${importId}/test`, { key });
      assert.equal(second.status, 202, second.text);
    });
  });

  describe('a cap on the runs of a district at once', () => {
    const CAP = 2;
    let capped: CallApi;
    before(() => {
      capped = system.apiWith({ maxConcurrentRunsPerDistrict: CAP });
    });

    it('a district at its cap: the next run is 429 RATE_LIMITED with Retry-After, and no run is created', async () => {
      const { districtId, key, importIds } = await districtWithImports('Capped USD', CAP + 1);
      for (const id of importIds.slice(0, CAP)) assert.equal((await capped('POST', `/api/imports/${id}/run`, { key })).status, 202);

      for (const route of ['test', 'run']) {
        const refused = await capped('POST', `/api/imports/${importIds[CAP]}/${route}`, { key });
        assert.equal(refused.status, 429, refused.text);
        assert.equal(refused.body.error.code, 'RATE_LIMITED');
        assert.equal(refused.headers.get('retry-after'), String(DISTRICT_RUN_CAP_RETRY_AFTER_SECONDS));
        assert.deepEqual(refused.body.error.details, [{ message: 'concurrent runs of the district', limit: 'concurrentRunsPerDistrict', max: CAP }]);
      }
      const { rows } = await system.db.query('select count(*)::int as n from runs where district_id = $1', [districtId]);
      assert.equal(rows[0].n, CAP, 'the refused runs left no row');
    });

    it('another district is not held back by a district at its cap', async () => {
      const full = await districtWithImports('Full USD', CAP);
      for (const id of full.importIds) assert.equal((await capped('POST', `/api/imports/${id}/test`, { key: full.key })).status, 202);
      const other = await districtWithImports('Other USD', 1);
      const started = await capped('POST', `/api/imports/${other.importIds[0]}/test`, { key: other.key });
      assert.equal(started.status, 202, started.text);
    });

    it('a start waits for a start in flight in the same district, then counts it: both cannot take the last place', async () => {
      const { districtId, key, importIds } = await districtWithImports('Rush USD', CAP + 1);
      assert.equal((await capped('POST', `/api/imports/${importIds[0]}/test`, { key })).status, 202);
      const inFlight = await system.db.connect();
      try {
        // another start of this district, between its insert and its commit: it has taken the last place
        await inFlight.query('begin');
        const imp = (await findImportById(system.db, importIds[1]!))!;
        const id = randomUUID();
        await insertRun(inFlight, { id, districtId, importId: imp.id, importName: imp.name, kind: imp.kind, settings: null, connection: imp.connection, mode: 'test', trigger: 'manual', workflowId: `in-flight-${id}` });
        await enforceDistrictRunCap(inFlight, districtId, CAP);

        const answer = capped('POST', `/api/imports/${importIds[2]}/test`, { key });
        let answered = false;
        void answer.finally(() => (answered = true));
        // commit once the request waits for the district (or has answered without waiting)
        while (!answered && !(await waitingForALock())) await new Promise((r) => setTimeout(r, 20));
        await inFlight.query('commit');
        const refused = await answer;
        assert.equal(refused.status, 429, refused.text);
      } finally {
        inFlight.release();
      }
      assert.equal(await activeRuns({ districtId }), CAP);
    });

    it('a run a schedule starts is not refused at the cap: schedules never lose a night', async () => {
      const { districtId, key, importIds } = await districtWithImports('Nightly USD', CAP + 1);
      for (const id of importIds.slice(0, CAP)) assert.equal((await capped('POST', `/api/imports/${id}/run`, { key })).status, 202);
      const activities = createActivities({ db: system.db, config: { ...system.config, chunkSize: 10 }, connect: connectFileSource });
      const runId = randomUUID();
      // beginRun, as the workflow a Temporal Schedule started calls it
      await new MockActivityEnvironment().run(activities.beginRun, { runId, importId: importIds[CAP]!, mode: 'run' as const, trigger: 'schedule' as const });
      const { rows } = await system.db.query('select trigger, status from runs where id = $1', [runId]);
      assert.deepEqual(rows, [{ trigger: 'schedule', status: 'running' }]);
      assert.equal(await activeRuns({ districtId }), CAP + 1);
    });
  });

  describe('a request rate per key', () => {
    const BURST = 3;
    let limited: CallApi;
    let keyA = '';
    let keyB = '';
    before(async () => {
      // one minute's rate far below what the test sends, so no token comes back while it runs
      limited = system.apiWith({ rateLimitPerMinute: 1, rateLimitBurst: BURST });
      ({ key: keyA } = await createDistrictWithKey(system, 'Busy USD'));
      ({ key: keyB } = await createDistrictWithKey(system, 'Quiet USD'));
    });

    it('the request past the burst is 429 RATE_LIMITED with Retry-After; another key is unaffected', async () => {
      for (let i = 0; i < BURST; i++) assert.equal((await limited('GET', '/api/imports', { key: keyA })).status, 200);
      const refused = await limited('GET', '/api/imports', { key: keyA });
      assert.equal(refused.status, 429, refused.text);
      assert.equal(refused.body.error.code, 'RATE_LIMITED');
      assert.ok(Number(refused.headers.get('retry-after')) >= 1, `Retry-After: ${refused.headers.get('retry-after')}`);
      assert.equal((await limited('GET', '/api/imports', { key: keyB })).status, 200);
    });

    it('a refused request writes no audit entry: a flood cannot fill the audit log', async () => {
      const { districtId, key } = await createDistrictWithKey(system, 'Flood USD');
      for (let i = 0; i < BURST; i++) await limited('GET', '/api/imports', { key });
      for (let i = 0; i < 5; i++) assert.equal((await limited('POST', '/api/mappings', { key, body: API_EXAMPLE_MAPPING })).status, 429);
      const { rows } = await system.db.query(`select count(*)::int as n from audit_log where district_id = $1 and route = '/api/mappings'`, [districtId]);
      assert.equal(rows[0].n, 0);
    });

    it('an unknown key is refused 401 every time, never 429; health and the OpenAPI document are not limited', async () => {
      const unknown = `si_${randomUUID()}`;
      for (let i = 0; i < BURST + 2; i++) {
        assert.equal((await limited('GET', '/api/imports', { key: unknown })).status, 401);
        assert.equal((await limited('GET', '/api/health', { key: '' })).status, 200);
        assert.equal((await limited('GET', '/api/openapi.json', { key: '' })).status, 200);
      }
    });
  });
});
