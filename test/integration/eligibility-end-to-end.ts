import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import proto from '@temporalio/proto';
import type { ConnectionConfig } from '../../domain/connection';
import type { TestFileServer } from '../sources/file-server';
import { API_EXAMPLE_MAPPING } from '../support/api-example-mapping';
import { createDistrictWithKey, makeServerDir, putServerFile } from '../support/fixtures';
import { startTestSystem, waitForRun, type TestSystem } from '../support/system';

const BOM = '\uFEFF';
// A distinctive value that must never reach Temporal history (row data).
const ROW_MARKER = 'APP-ROWDATA-7731';

/** The eligibility file an admin's third-party system drops: every kind of row the rules name, CRLF line ends, a BOM. */
export const ELIGIBILITY_FILE =
  BOM +
  [
    'Student ID,Last,First,Status,Type,Start,End,App,Ref',
    `000123,Lopez,Ana,F,D,08/15/2025,,"${ROW_MARKER}, Fall",R1`, // line 2: New (quoted comma, leading zeros)
    '000124,Kim,Bo,R,I,09/01/2025,06/30/2026,App,R2', // line 3: New
    '000125,Ng,Cy,F,D,10/01/2025', // line 4: short row → WRONG_COLUMN_COUNT
    '000126,Diaz,Di,F,D,02/30/2026,,App,R4', // line 5: INVALID_DATE
    '000127,Fox,Ed,X,D,09/01/2025,,App,R5', // line 6: UNKNOWN_CODE
    '999999,Who,Zz,F,D,09/01/2025,,App,R6', // line 7: STUDENT_NOT_FOUND
    '000124,Kim,Bo,F,D,01/05/2026,,App,R7', // line 8: same student, later in file: ends line 3's record (Ended) + New
  ].join('\r\n') +
  '\r\n';

const STUDENTS = [
  { studentNumber: '000123', firstName: 'Ana', lastName: 'Lopez' },
  { studentNumber: '000124', firstName: 'Bo', lastName: 'Kim' },
  { studentNumber: '000125', firstName: 'Cy', lastName: 'Ng' },
  { studentNumber: '000126', firstName: 'Di', lastName: 'Diaz' },
  { studentNumber: '000127', firstName: 'Ed', lastName: 'Fox' },
];

const MAPPING = API_EXAMPLE_MAPPING;

/** The body an admin posts for the server's connection: secrets included, the trust pin left out. */
function connectionBody(c: ConnectionConfig) {
  const { trust: _trust, ...rest } = c;
  return rest;
}

/**
 * An admin's whole day with one protocol: create everything through the API, confirm the server's
 * fingerprint, test the connection, Test Import, Run, run again, and a duplicate file.
 */
export function describeEligibilityEndToEnd(label: string, startServer: () => Promise<TestFileServer>) {
  describe(`eligibility import end to end over ${label}`, () => {
    let system: TestSystem;
    let server: TestFileServer;
    let key = '';
    let importId = '';
    let dir = '';
    // every test-connection, test and run call starts one workflow; the history check covers them all
    let workflowsStarted = 0;
    const put = (name: string, content: string | Buffer) => putServerFile(server, 'Eligibility', name, content);

    before(async () => {
      [system, server] = await Promise.all([startTestSystem({ chunkSize: 3 }), startServer()]);
      dir = makeServerDir(server, 'Eligibility');
    });
    after(async () => {
      await server?.stop();
      await system?.stop();
    });

    it('sets up a district, a key, students and a mapping', async () => {
      ({ key } = await createDistrictWithKey(system, 'Lincoln USD', 'America/Chicago'));
      const students = await system.call('PUT', '/api/students', { key, body: STUDENTS });
      assert.deepEqual(students.body, { upserted: STUDENTS.length });
    });

    it('creates an import and pins the fingerprint Test Connection reports', async () => {
      const mapping = await system.call('POST', '/api/mappings', { key, body: MAPPING });
      assert.equal(mapping.status, 201, mapping.text);
      const connection = { ...connectionBody(server.connection('Eligibility')) };
      const created = await system.call('POST', '/api/imports', {
        key,
        body: { name: 'Third Party Eligibility Import 1', kind: 'eligibility', active: true, mappingId: mapping.body.id, connection },
      });
      assert.equal(created.status, 201, created.text);
      assert.ok(!created.text.includes(String(connection.password)), 'the password is never returned');
      assert.equal(created.body.connection.passwordSet, true);
      importId = created.body.id;

      const first = await (workflowsStarted++, system.call('POST', `/api/imports/${importId}/test-connection`, { key }));
      if (server.fingerprint) {
        assert.equal(first.body.ok, false, first.text);
        assert.match(first.body.error.code, /^(HOST_KEY_UNKNOWN|TLS_UNTRUSTED)$/);
        assert.equal(first.body.error.fingerprint, server.fingerprint);
        const trust = { sha256: first.body.error.fingerprint, ...(first.body.error.keyType ? { keyType: first.body.error.keyType } : {}) };
        const pinned = await system.call('PATCH', `/api/imports/${importId}`, { key, body: { connection: { trust } } });
        assert.equal(pinned.status, 200, pinned.text);
        assert.equal(pinned.body.connection.passwordSet, true, 'a PATCH without a password keeps it');
      }
      put('readme.txt', 'not an import file');
      const ok = await (workflowsStarted++, system.call('POST', `/api/imports/${importId}/test-connection`, { key }));
      assert.equal(ok.body.ok, true, ok.text);
      assert.deepEqual(ok.body.files.map((f: { name: string }) => f.name), ['readme.txt']);
      assert.equal(ok.body.fingerprint, server.fingerprint ?? null);
    });

    it('names the failure: wrong password, missing directory', async () => {
      const get = await system.call('GET', `/api/imports/${importId}`, { key });
      const base = { kind: 'eligibility', active: false, mappingId: get.body.mappingId };
      const good = { ...connectionBody(server.connection('Eligibility')), ...(get.body.connection.trust ? { trust: get.body.connection.trust } : {}) };
      const cases = [
        { name: 'Wrong Password', connection: { ...good, password: 'not-the-password' }, code: 'AUTH_FAILED' },
        { name: 'Missing Directory', connection: { ...good, directoryPath: 'NoSuchFolder' }, code: 'DIRECTORY_NOT_FOUND' },
      ];
      if (server.fingerprint) {
        const wrongPin = good.protocol === 'sftp' ? { sha256: 'SHA256:' + 'B'.repeat(43), keyType: 'ssh-ed25519' } : { sha256: Array(32).fill('CD').join(':') };
        cases.push({ name: 'Wrong Pin', connection: { ...good, trust: wrongPin }, code: good.protocol === 'sftp' ? 'HOST_KEY_MISMATCH' : 'TLS_UNTRUSTED' });
      }
      for (const c of cases) {
        if (c.connection.protocol === 'smb' && c.code === 'DIRECTORY_NOT_FOUND') c.connection.directoryPath = 'data/NoSuchFolder';
        const created = await system.call('POST', '/api/imports', { key, body: { ...base, name: c.name, connection: c.connection } });
        assert.equal(created.status, 201, created.text);
        const res = await (workflowsStarted++, system.call('POST', `/api/imports/${created.body.id}/test-connection`, { key }));
        assert.equal(res.body.ok, false, res.text);
        assert.equal(res.body.error.code, c.code, res.text);
        assert.match(res.body.error.message, new RegExp(String(server.port)));
      }
    });

    let testReport: any;
    it('Test Import reports what Run would do and changes nothing', async () => {
      put('IC_Eligibility_oct.csv', ELIGIBILITY_FILE);
      const started = await (workflowsStarted++, system.call('POST', `/api/imports/${importId}/test`, { key }));
      assert.equal(started.status, 202, started.text);
      const run = await waitForRun(system, key, started.body.runId);
      assert.equal(run.status, 'completed', JSON.stringify(run.error));
      assert.equal(run.mode, 'test');
      assert.match(run.workflowId, /^test\/lincoln-usd\/third-party-eligibility-import-1\/\d{8}T\d{6}Z-/);
      const report = await system.call('GET', `/api/runs/${started.body.runId}/report`, { key });
      testReport = report.body;
      assert.deepEqual(testReport.summary, { new: 3, updated: 0, ended: 1, removed: 0, existing: 0, errors: 4, warnings: 0 });
      assert.deepEqual(
        testReport.problems.map((p: { line: number; code: string }) => [p.line, p.code]),
        [
          [4, 'WRONG_COLUMN_COUNT'],
          [5, 'INVALID_DATE'],
          [6, 'UNKNOWN_CODE'],
          [7, 'STUDENT_NOT_FOUND'],
        ],
      );
      const ana = testReport.records.find((r: { studentNumber: string }) => r.studentNumber === '000123');
      assert.equal(ana.applicationName, `${ROW_MARKER}, Fall`);
      assert.equal(ana.name, 'Lopez, Ana');
      assert.ok(existsSync(join(dir, 'IC_Eligibility_oct.csv')), 'a dry run renames nothing');
      const student = await system.call('GET', '/api/students/000124', { key });
      assert.deepEqual(student.body.eligibility, [], 'a dry run changes no data');
    });

    it('Run applies the rows, reports exactly what the test reported, and renames the file', async () => {
      const started = await (workflowsStarted++, system.call('POST', `/api/imports/${importId}/run`, { key }));
      assert.equal(started.status, 202, started.text);
      const run = await waitForRun(system, key, started.body.runId);
      assert.equal(run.status, 'completed', JSON.stringify(run.error));
      const report = await system.call('GET', `/api/runs/${started.body.runId}/report`, { key });
      assert.deepEqual(report.body.summary, testReport.summary);
      assert.deepEqual(report.body.records, testReport.records);
      assert.deepEqual(report.body.problems, testReport.problems);

      const names = readdirSync(dir).filter((n) => n.includes('Eligibility'));
      assert.equal(names.length, 1);
      assert.match(names[0]!, /^P_IC_Eligibility_oct_\d{8}T\d{6}Z\.csv$/);
      assert.equal(run.files[0].renamedTo, names[0]);
      assert.equal(run.files[0].rows, 7);
      assert.equal(run.progress.rowsRead, 7);

      const bo = await system.call('GET', '/api/students/000124', { key });
      assert.deepEqual(
        bo.body.eligibility.map((e: { eligibility: string; startDate: string; endDate: string | null }) => [e.eligibility, e.startDate, e.endDate]),
        [
          ['R', '2025-09-01', '2026-01-04'],
          ['F', '2026-01-05', null],
        ],
      );
      const csv = await system.call('GET', `/api/runs/${started.body.runId}/report`, { key, headers: { accept: 'text/csv' } });
      assert.match(csv.headers.get('content-type') ?? '', /text\/csv/);
      assert.match(csv.text, /STUDENT_NOT_FOUND/);
      assert.equal(csv.text.trim().split('\r\n').length, 1 + testReport.records.length + testReport.problems.length);
    });

    it('a second Run finds nothing', async () => {
      const started = await (workflowsStarted++, system.call('POST', `/api/imports/${importId}/run`, { key }));
      const run = await waitForRun(system, key, started.body.runId);
      assert.equal(run.status, 'completed');
      assert.deepEqual(run.files, []);
      assert.deepEqual(run.summary, { new: 0, updated: 0, ended: 0, removed: 0, existing: 0, errors: 0, warnings: 0 });
    });

    it('the same content under a new name is a duplicate file: renamed, not applied', async () => {
      const processed = readdirSync(dir).find((n) => n.startsWith('P_IC_Eligibility_oct'))!;
      put('IC_Eligibility_again.csv', readFileSync(join(dir, processed)));
      const started = await (workflowsStarted++, system.call('POST', `/api/imports/${importId}/run`, { key }));
      const run = await waitForRun(system, key, started.body.runId);
      assert.equal(run.status, 'completed');
      assert.equal(run.files[0].status, 'duplicate');
      const report = await system.call('GET', `/api/runs/${started.body.runId}/report`, { key });
      assert.deepEqual(report.body.problems.map((p: { code: string }) => p.code), ['DUPLICATE_FILE']);
      assert.equal(report.body.records.length, 0);
      assert.ok(!existsSync(join(dir, 'IC_Eligibility_again.csv')));
      assert.ok(readdirSync(dir).some((n) => /^P_IC_Eligibility_again_\d{8}T\d{6}Z\.csv$/.test(n)));
    });

    it('an empty file and a header-only file are reported, and a file still being uploaded is left alone', async () => {
      put('IC_Eligibility_empty.csv', '');
      put('IC_Eligibility_header.csv', 'Student ID,Last,First,Status,Type,Start,End,App,Ref\r\n');
      put('IC_Eligibility_nov.csv.part', 'partial');
      const started = await (workflowsStarted++, system.call('POST', `/api/imports/${importId}/run`, { key }));
      const run = await waitForRun(system, key, started.body.runId);
      assert.equal(run.status, 'completed', JSON.stringify(run.error));
      const report = await system.call('GET', `/api/runs/${started.body.runId}/report`, { key });
      const codes = report.body.problems.map((p: { file: string; code: string }) => `${p.file}:${p.code}`).sort();
      assert.deepEqual(codes, ['IC_Eligibility_empty.csv:EMPTY_FILE', 'IC_Eligibility_header.csv:EMPTY_FILE', 'IC_Eligibility_nov.csv.part:FILE_STILL_WRITING']);
      assert.ok(existsSync(join(dir, 'IC_Eligibility_nov.csv.part')));
    });

    it('a run with a wrong password or a changed server key fails with its code, once, until an admin fixes the import', async () => {
      const current = (await system.call('GET', `/api/imports/${importId}`, { key })).body;
      const breakages: { patch: Record<string, unknown>; code: string }[] = [{ patch: { password: 'wrong-password' }, code: 'AUTH_FAILED' }];
      if (current.connection.trust) {
        const changed = current.connection.protocol === 'sftp' ? { sha256: 'SHA256:' + 'C'.repeat(43), keyType: current.connection.trust.keyType } : { sha256: Array(32).fill('EF').join(':') };
        breakages.push({ patch: { trust: changed }, code: current.connection.protocol === 'sftp' ? 'HOST_KEY_MISMATCH' : 'TLS_UNTRUSTED' });
      }
      for (const { patch, code } of breakages) {
        put('IC_Eligibility_waiting.csv', ELIGIBILITY_FILE.replace('R7', 'R8'));
        assert.equal((await system.call('PATCH', `/api/imports/${importId}`, { key, body: { connection: patch } })).status, 200);
        const started = await (workflowsStarted++, system.call('POST', `/api/imports/${importId}/run`, { key }));
        const run = await waitForRun(system, key, started.body.runId);
        assert.equal(run.status, 'failed');
        assert.equal(run.error.code, code, JSON.stringify(run.error));
        assert.match(run.error.message, new RegExp(String(server.port)));
        const history = await system.client.workflow.getHandle(run.workflowId).fetchHistory();
        const attempts = history.events!.filter((e) => e.activityTaskStartedEventAttributes).map((e) => e.activityTaskStartedEventAttributes!.attempt);
        assert.ok(attempts.every((a) => a === 1), `a ${code} is not retried (attempts ${attempts.join(',')})`);
        assert.ok(existsSync(join(dir, 'IC_Eligibility_waiting.csv')), 'the file waits for the next good run');
      }
      const fixed = { password: String(server.connection('').password), ...(current.connection.trust ? { trust: current.connection.trust } : {}) };
      assert.equal((await system.call('PATCH', `/api/imports/${importId}`, { key, body: { connection: fixed } })).status, 200);
      const started = await (workflowsStarted++, system.call('POST', `/api/imports/${importId}/run`, { key }));
      const run = await waitForRun(system, key, started.body.runId);
      assert.equal(run.status, 'completed', JSON.stringify(run.error));
      assert.equal(run.files[0].status, 'processed');
    });

    it('no workflow history holds the password or row data', async () => {
      const password = String(server.connection('').password);
      let seen = 0;
      for await (const execution of system.client.workflow.list()) {
        const history = await system.client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory();
        const bytes = Buffer.from(proto.temporal.api.history.v1.History.encode(history).finish());
        assert.equal(bytes.includes(password), false, `password found in ${execution.workflowId}`);
        assert.equal(bytes.includes(ROW_MARKER), false, `row data found in ${execution.workflowId}`);
        // the worker's maintenance schedules (reaper, retention) start workflows of their own: checked, not counted
        if (!execution.workflowId.startsWith('maintenance/')) seen++;
      }
      assert.equal(seen, workflowsStarted, 'every workflow the suite started was checked');
    });
  });
}
