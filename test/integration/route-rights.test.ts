import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ROUTE_RIGHTS } from '../../api/route-rights';
import type { Db } from '../../db/pool';
import { RIGHTS, type Right } from '../../security/api-keys';
import { startSshd, type TestSshd } from '../sources/sshd';
import { createDistrictWithKey, issueKey, putServerFile, SHORT_HEADER_MAPPING } from '../support/fixtures';
import { servedRoutes } from '../support/served-routes';
import { startTestSystem, waitForRun, type ApiResponse, type TestSystem } from '../support/system';

/** District A has one of every kind of object; B is the other district, whose key holds every right. */
interface World {
  a: {
    districtId: string;
    /** Keys of A: one holding every right but the named one, and one holding only the named one. */
    lacking: Record<Right, string>;
    only: Record<Right, string>;
    fullKey: string;
    studentNumber: string;
    otherStudentNumber: string;
    schoolCode: string;
    mappingId: string;
    importId: string;
    /** Deleted by DELETE /api/imports/:id once the refused requests have left it there. */
    spareImportId: string;
    runId: string;
    orderId: string;
    /** Revoked by DELETE /api/districts/:id/keys/:keyId. */
    spareKeyId: string;
    /** A batch submission waiting for its start time next month; DELETE /api/batch-queue/:batchId cancels it. */
    batchId: string;
    /** The run of another such submission; POST /api/runs/:runId/cancel cancels it. */
    cancelableRunId: string;
    /** Every id of A's objects, and A's own: none may appear in an answer to B. */
    ids: string[];
  };
  b: { districtId: string; key: string };
}

/** A route called on A's objects, with a body its right accepts. */
interface RouteCase {
  path(w: World): string;
  body?(w: World): unknown;
  /** After the allowed call: waits for what it started, so the next route begins from data that stands still. */
  settle?(w: World, res: ApiResponse): Promise<void>;
  /** Paths besides `path` on which B must find nothing: B's own ids mixed with A's. */
  foreignPaths?(w: World): string[];
  /** The part of B's answer to a route without a path id that must not name A's objects (default: all of it). */
  foreignView?(body: unknown): unknown;
  /** What B gets instead from a route without a path id. */
  foreignAnswer?(res: ApiResponse): void;
}

let system: TestSystem;
const nextMonth = () => new Date(Date.now() + 30 * 24 * 60 * 60 * 1000).toISOString();
const settleRun = async (w: World, res: ApiResponse) => {
  await waitForRun(system, w.a.fullKey, res.body.runId);
};

const CASES: Record<string, RouteCase> = {
  'GET /api/health': { path: () => '/api/health' },
  'GET /api/openapi.json': { path: () => '/api/openapi.json' },
  'POST /api/districts': { path: () => '/api/districts', body: () => ({ name: 'Rights C', timeZone: 'UTC' }) },
  'POST /api/districts/:id/keys': { path: (w) => `/api/districts/${w.a.districtId}/keys`, body: () => ({ name: 'issued', rights: ['keys.manage'] }) },
  'GET /api/districts/:id/keys': { path: (w) => `/api/districts/${w.a.districtId}/keys` },
  'DELETE /api/districts/:id/keys/:keyId': {
    path: (w) => `/api/districts/${w.a.districtId}/keys/${w.a.spareKeyId}`,
    foreignPaths: (w) => [`/api/districts/${w.b.districtId}/keys/${w.a.spareKeyId}`],
  },
  'GET /api/audit-log': {
    path: () => '/api/audit-log?limit=200',
    // B's own entries name the objects B asked for, A's among them: what they address is B's record, not A's
    foreignView: (body) => (body as { objectId: string | null }[]).map((e) => ({ ...e, objectId: null })),
  },
  'PUT /api/students': { path: () => '/api/students', body: () => [{ studentNumber: 'RA-3', firstName: 'New', lastName: 'Student' }] },
  'GET /api/students/:studentNumber': { path: (w) => `/api/students/${w.a.studentNumber}` },
  'POST /api/mappings': { path: () => '/api/mappings', body: () => ({ ...SHORT_HEADER_MAPPING, name: 'another' }) },
  'GET /api/mappings': { path: () => '/api/mappings' },
  'GET /api/mappings/:id': { path: (w) => `/api/mappings/${w.a.mappingId}` },
  'POST /api/imports': {
    path: () => '/api/imports',
    body: (w) => ({ name: 'Created', kind: 'eligibility', active: false, mappingId: w.a.mappingId, connection: { protocol: 'sftp', host: '127.0.0.1', username: 'u', password: 'p', directoryPath: 'Elsewhere' } }),
    foreignAnswer: (res) => assert.equal(res.body.error?.code, 'MAPPING_NOT_FOUND', res.text),
  },
  'GET /api/imports': { path: () => '/api/imports' },
  'GET /api/imports/:id': { path: (w) => `/api/imports/${w.a.importId}` },
  'PATCH /api/imports/:id': { path: (w) => `/api/imports/${w.a.importId}`, body: () => ({ notify: { emails: ['data@rights-a.example'] } }) },
  'DELETE /api/imports/:id': { path: (w) => `/api/imports/${w.a.spareImportId}` },
  'POST /api/imports/:id/test-connection': { path: (w) => `/api/imports/${w.a.importId}/test-connection` },
  'POST /api/imports/:id/test': { path: (w) => `/api/imports/${w.a.importId}/test`, settle: settleRun },
  'POST /api/imports/:id/run': { path: (w) => `/api/imports/${w.a.importId}/run`, settle: settleRun },
  'GET /api/runs': {
    path: (w) => `/api/runs?importId=${w.a.importId}`,
    foreignAnswer: (res) => assert.deepEqual(res.body, [], 'B lists no run of A’s import'),
  },
  'GET /api/runs/:runId': { path: (w) => `/api/runs/${w.a.runId}` },
  'GET /api/runs/:runId/report': { path: (w) => `/api/runs/${w.a.runId}/report` },
  'POST /api/runs/:runId/cancel': { path: (w) => `/api/runs/${w.a.cancelableRunId}/cancel` },
  'POST /api/schools': { path: () => '/api/schools', body: () => ({ code: 'NEW', name: 'New School' }) },
  'GET /api/schools': { path: () => '/api/schools' },
  'POST /api/orders': {
    path: () => '/api/orders',
    body: (w) => ({ kind: 'regular', schoolCode: w.a.schoolCode, licenses: 5 }),
    foreignAnswer: (res) => assert.equal(res.body.error?.code, 'SCHOOL_NOT_FOUND', res.text),
  },
  'GET /api/orders': { path: () => '/api/orders' },
  'POST /api/orders/:id/students': { path: (w) => `/api/orders/${w.a.orderId}/students`, body: (w) => ({ studentNumber: w.a.otherStudentNumber, status: 'active' }) },
  // next month: the submission waits and holds nothing, so the routes after it find the import as before
  'POST /api/imports/:id/batch': { path: (w) => `/api/imports/${w.a.importId}/batch`, body: () => ({ startAt: nextMonth() }) },
  'GET /api/batch-queue': { path: () => '/api/batch-queue' },
  'DELETE /api/batch-queue/:batchId': { path: (w) => `/api/batch-queue/${w.a.batchId}` },
};

/**
 * All that district A has, as rows: every table with a district_id (but the audit log, which each request
 * writes to), keys without lastUsedAt (which using one writes); and how many districts there are.
 */
async function snapshotOf(db: Db, districtId: string): Promise<unknown> {
  const { rows: tables } = await db.query<{ name: string }>(
    `select table_name as name from information_schema.columns
     where table_schema = 'public' and column_name = 'district_id' and table_name <> 'audit_log' order by table_name`,
  );
  const snapshot: Record<string, unknown> = {};
  for (const { name } of tables) {
    const { rows } = await db.query(`select to_jsonb(t) - 'last_used_at' as row from "${name}" t where district_id = $1 order by to_jsonb(t)::text`, [districtId]);
    snapshot[name] = rows.map((r) => r.row);
  }
  snapshot.districts = (await db.query('select count(*)::int as n from districts')).rows[0];
  return snapshot;
}

function assertRefused(res: ApiResponse, status: number, code: string, who: string): void {
  assert.equal(res.status, status, `${who}: ${res.text}`);
  assert.equal(res.body.error?.code, code, `${who}: ${res.text}`);
}

async function setUpDistrictA(sshd: TestSshd): Promise<World['a']> {
  const { districtId, key: fullKey, keyId } = await createDistrictWithKey(system, 'Rights A', 'UTC', [...RIGHTS]);
  const keys = await Promise.all(RIGHTS.map((right) => issueKey(system, districtId, `all but ${right}`, RIGHTS.filter((r) => r !== right))));
  const onlyKeys = await Promise.all(RIGHTS.map((right) => issueKey(system, districtId, `only ${right}`, [right])));
  const spareKey = await issueKey(system, districtId, 'spare', ['imports.read']);
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await system.call(method, path, { key: fullKey, body });
    assert.ok(res.status < 300, `${method} ${path}: ${res.text}`);
    return res.body;
  };

  const students = [{ studentNumber: 'RA-1', firstName: 'Ana', lastName: 'Lopez' }, { studentNumber: 'RA-2', firstName: 'Bo', lastName: 'Kim' }];
  await call('PUT', '/api/students', students);
  const mapping = await call('POST', '/api/mappings', SHORT_HEADER_MAPPING);
  putServerFile(sshd, 'Eligibility', 'IC_Eligibility_1.csv', 'ID,S,T,A,B\nRA-1,F,D,08/01/2025,\nRA-9,F,D,08/01/2025,\n');
  const connection = sshd.connection('Eligibility');
  const imp = await call('POST', '/api/imports', { name: 'Main', kind: 'eligibility', active: true, mappingId: mapping.id, connection });
  const spare = await call('POST', '/api/imports', { name: 'Spare', kind: 'eligibility', active: false, mappingId: mapping.id, connection });
  // a Test Import against the real server: a run with a report, records and a problem
  const test = await call('POST', `/api/imports/${imp.id}/test`);
  const run = await waitForRun(system, fullKey, test.runId);
  assert.equal(run.status, 'completed', JSON.stringify(run.error));
  await call('POST', '/api/schools', { code: 'AHS', name: 'A High' });
  const order = await call('POST', '/api/orders', { kind: 'enterprise', licenses: 10 });
  await call('POST', `/api/orders/${order.id}/students`, { studentNumber: 'RA-1', status: 'active' });
  const batch = await call('POST', `/api/imports/${imp.id}/batch`, { startAt: nextMonth() });
  const cancelable = await call('POST', `/api/imports/${imp.id}/batch`, { startAt: nextMonth() });

  const byRight = (list: { key: string }[]) => Object.fromEntries(RIGHTS.map((right, i) => [right, list[i]!.key])) as Record<Right, string>;
  return {
    districtId,
    fullKey,
    lacking: byRight(keys),
    only: byRight(onlyKeys),
    studentNumber: 'RA-1',
    otherStudentNumber: 'RA-2',
    schoolCode: 'AHS',
    mappingId: mapping.id,
    importId: imp.id,
    spareImportId: spare.id,
    runId: test.runId,
    orderId: order.id,
    spareKeyId: spareKey.keyId,
    batchId: batch.batchId,
    cancelableRunId: cancelable.runId,
    ids: [districtId, keyId, spareKey.keyId, ...keys.map((k) => k.keyId), ...onlyKeys.map((k) => k.keyId), mapping.id, imp.id, spare.id, test.runId, order.id, batch.batchId, batch.runId, cancelable.batchId, cancelable.runId],
  };
}

/**
 * Walks every route the app serves: without a key, with a key of A lacking just the route's right, with
 * B's key on A's objects, and with a key of A holding only that right. A route missing from the table,
 * or from CASES here, fails its subtest.
 */
describe('rights and tenancy on every route', () => {
  let sshd: TestSshd;
  let world: World;

  before(async () => {
    [system, sshd] = await Promise.all([startTestSystem(), startSshd()]);
    const b = await createDistrictWithKey(system, 'Rights B', 'UTC', [...RIGHTS]);
    world = { a: await setUpDistrictA(sshd), b: { districtId: b.districtId, key: b.key } };
  });
  after(async () => {
    await sshd?.stop();
    await system?.stop();
  });

  for (const route of servedRoutes()) {
    it(route, async () => {
      const rule = ROUTE_RIGHTS[route];
      assert.ok(rule, `${route} has no entry in api/route-rights.ts`);
      const routeCase = CASES[route];
      assert.ok(routeCase, `${route} has no case in this test`);
      const [method] = route.split(' ') as [string];
      const { a, b } = world;
      const path = routeCase.path(world);
      const body = routeCase.body?.(world);
      const send = (key: string | null, options: { path?: string; rawBody?: string } = {}) =>
        system.call(method, options.path ?? path, { key, ...(options.rawBody === undefined ? { body } : { rawBody: options.rawBody }) });

      if (rule.access === 'none') {
        const res = await send(null);
        assert.ok(res.status >= 200 && res.status < 300, `without a key: ${res.status} ${res.text}`);
        return;
      }

      const before = await snapshotOf(system.db, a.districtId);
      assertRefused(await send(null), 401, 'UNAUTHENTICATED', 'without a key');
      assertRefused(await send('si_not-a-key'), 401, 'UNAUTHENTICATED', 'with an unknown key');
      if (rule.access === 'platform') {
        assertRefused(await send(a.fullKey), 403, 'RIGHT_REQUIRED', 'a key of A with every right');
        assertRefused(await send(b.key), 403, 'RIGHT_REQUIRED', 'a key of B with every right');
      } else {
        assertRefused(await send(a.lacking[rule.access]), 403, 'RIGHT_REQUIRED', `a key of A with every right but ${rule.access}`);
        // the right is checked before the body is read: no parse or validation error tells a key without it anything
        if (body !== undefined) assertRefused(await send(a.lacking[rule.access], { rawBody: '{"' }), 403, 'RIGHT_REQUIRED', `… with a malformed body`);
      }
      if (rule.pathObject) {
        for (const foreign of [path, ...(routeCase.foreignPaths?.(world) ?? [])]) {
          assertRefused(await send(b.key, { path: foreign }), 404, 'NOT_FOUND', `a key of B with every right on ${foreign}`);
          if (body !== undefined) assertRefused(await send(b.key, { path: foreign, rawBody: '{"' }), 404, 'NOT_FOUND', `… with a malformed body`);
        }
      } else if (rule.access !== 'platform') {
        const res = await send(b.key);
        const seen = JSON.stringify(routeCase.foreignView ? routeCase.foreignView(res.body) : res.body);
        for (const id of a.ids) assert.ok(!seen.includes(id), `a key of B sees ${id} of district A: ${res.text}`);
        routeCase.foreignAnswer?.(res);
      }
      assert.deepEqual(await snapshotOf(system.db, a.districtId), before, 'the refused requests and B’s changed nothing of district A');

      const allowed = await send(rule.access === 'platform' ? system.config.adminApiKey : a.only[rule.access]);
      const who = rule.access === 'platform' ? 'the platform admin key' : `a key of A with only ${rule.access}`;
      assert.ok(allowed.status >= 200 && allowed.status < 300, `${who}: ${allowed.status} ${allowed.text}`);
      await routeCase.settle?.(world, allowed);
    });
  }
});
