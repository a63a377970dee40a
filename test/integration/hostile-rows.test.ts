import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../activities';
import type { Db, DbClient } from '../../db/pool';
import { findImportById } from '../../db/queries/imports';
import { createRun } from '../../runs/create-run';
import { connectFileSource } from '../../sources/connect';
import { startSshd, type TestSshd } from '../sources/sshd';
import { createDistrictWithKey, putServerFile, SHORT_HEADER_MAPPING } from '../support/fixtures';
import { startTestSystem, waitForRun, type TestSystem } from '../support/system';

/** Good rows after the unclosed quote: more than the 100 lines a quoted field may span. */
const ROWS_AFTER_UNCLOSED_QUOTE = 150;

const good = (n: number) => Buffer.from(`S${n},F,D,08/01/2025,\n`);

/**
 * One file mixing hostile rows with good ones, each hostile row on a known line:
 * each is one row error with its line and code, and every good row applies.
 */
function hostileFile(): { content: Buffer; goodLines: number[]; expectedProblems: [number, string][] } {
  const parts: Buffer[] = [Buffer.from('ID,S,T,A,B\n')];
  const goodLines: number[] = [];
  const expectedProblems: [number, string][] = [];
  let line = 1;
  let student = 0;
  const addGood = () => {
    parts.push(good(++student));
    goodLines.push(++line);
  };
  const addHostile = (code: string, ...bytes: Buffer[]) => {
    parts.push(...bytes);
    expectedProblems.push([++line, code]);
  };
  addGood();
  addHostile('CONTROL_CHARACTER', Buffer.from('S90,F,D,08/01/2025,a\0b\n'));
  addGood();
  addHostile('CONTROL_CHARACTER', Buffer.from('S91,F,D\x01,08/01/2025,\n'));
  addGood();
  addHostile('INVALID_ENCODING', Buffer.from('S92,F,D,08/01/2025,Jos'), Buffer.from([0xe9]), Buffer.from('\n'));
  addGood();
  addHostile('ROW_TOO_LONG', Buffer.from('S93,F,D,08/01/2025,'), Buffer.alloc(10 * 1024 * 1024, 'x'), Buffer.from('\n'));
  addGood();
  addHostile('TOO_MANY_FIELDS', Buffer.from('S94'), Buffer.alloc(1_000_000, ','), Buffer.from('\n'));
  addGood();
  addHostile('MALFORMED_ROW', Buffer.from('S95,F,D,"08/01/2025,\n'));
  for (let i = 0; i < ROWS_AFTER_UNCLOSED_QUOTE; i++) addGood();
  return { content: Buffer.concat(parts), goodLines, expectedProblems };
}

describe('hostile rows through a run', () => {
  let system: TestSystem;
  let sshd: TestSshd;
  let key = '';
  let importId = '';
  const file = hostileFile();

  before(async () => {
    [system, sshd] = await Promise.all([startTestSystem(), startSshd()]);
    ({ key } = await createDistrictWithKey(system, 'Hostile USD'));
    const students = Array.from({ length: file.goodLines.length }, (_, i) => ({ studentNumber: `S${i + 1}`, firstName: 'F', lastName: `L${i + 1}` }));
    assert.equal((await system.call('PUT', '/api/students', { key, body: students })).status, 200);
    const mapping = await system.call('POST', '/api/mappings', { key, body: SHORT_HEADER_MAPPING });
    const imp = await system.call('POST', '/api/imports', { key, body: { name: 'Hostile', kind: 'eligibility', mappingId: mapping.body.id, connection: sshd.connection('in') } });
    assert.equal(imp.status, 201, imp.text);
    importId = imp.body.id;
    putServerFile(sshd, 'in', 'IC_Eligibility_hostile.csv', file.content);
  });
  after(async () => {
    await sshd?.stop();
    await system?.stop();
  });

  it('gives each hostile row its line and code, applies every good row, completes and renames the file', async (t) => {
    const started = performance.now();
    const run = await waitForRun(system, key, (await system.call('POST', `/api/imports/${importId}/run`, { key })).body.runId);
    t.diagnostic(`${(file.content.length / 1024 / 1024).toFixed(1)} MB file with a 10 MB line and a million-field row: run took ${Math.round(performance.now() - started)} ms`);
    assert.equal(run.status, 'completed', JSON.stringify(run.error));
    assert.match(run.files[0].renamedTo, /^P_IC_Eligibility_hostile_/);

    const report = (await system.call('GET', `/api/runs/${run.id}/report?limit=10000`, { key })).body;
    assert.deepEqual(
      report.problems.map((p: { line: number; code: string }) => [p.line, p.code]),
      file.expectedProblems,
    );
    assert.deepEqual(
      report.records.map((r: { line: number; status: string }) => [r.line, r.status]),
      file.goodLines.map((line) => [line, 'New']),
    );
  });

  it('says where the trouble is without quoting it', async () => {
    const runs = (await system.call('GET', `/api/runs?importId=${importId}`, { key })).body;
    const report = (await system.call('GET', `/api/runs/${runs[0].id}/report?limit=10000`, { key })).body;
    const messages = report.problems.map((p: { message: string }) => p.message);
    assert.deepEqual(messages.slice(0, 5), [
      'Field 5 holds the control character U+0000, which no field may hold.',
      'Field 3 holds the control character U+0001, which no field may hold.',
      'Field 5 holds bytes that are not valid UTF-8.',
      'The row is longer than 1048576 bytes.',
      'The row has more than 10000 fields.',
    ]);
  });

  it('stages long rows in COPY writes of a few MB, not one write of the whole file', async () => {
    const mapping = await system.call('POST', '/api/mappings', { key, body: SHORT_HEADER_MAPPING });
    const imp = await system.call('POST', '/api/imports', { key, body: { name: 'Long rows', kind: 'eligibility', mappingId: mapping.body.id, connection: sshd.connection('long') } });
    const rows = Array.from({ length: 40 }, (_, i) => `S${i},F,D,08/01/2025,${'x'.repeat(900_000)}`);
    putServerFile(sshd, 'long', 'IC_Eligibility_long.csv', ['ID,S,T,A,B', ...rows].join('\n') + '\n');

    // the real database, noting the size of each piece of staged rows written to a COPY
    const insertSizes: number[] = [];
    const noteCopyWrites = (client: DbClient) =>
      new Proxy(client, {
        get(target, property) {
          const value = Reflect.get(target, property, target);
          if (property !== 'query') return typeof value === 'function' ? value.bind(target) : value;
          return (query: unknown, ...rest: unknown[]) => {
            const submitted = (target.query as (...a: unknown[]) => unknown)(query, ...rest);
            const copy = query as { text?: string; write?: (chunk: string, ...a: unknown[]) => boolean };
            if (typeof copy.text === 'string' && copy.text.startsWith('copy staged_rows') && copy.write) {
              const write = copy.write.bind(copy);
              copy.write = (chunk: string, ...a: unknown[]) => {
                insertSizes.push(chunk.length);
                return write(chunk, ...a);
              };
            }
            return submitted;
          };
        },
      });
    const db = new Proxy(system.db, {
      get(target, property) {
        if (property === 'connect') return async () => noteCopyWrites(await target.connect());
        const value = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) as Db;
    const activities = createActivities({ db, config: system.config, connect: connectFileSource });
    const env = new MockActivityEnvironment();
    const runId = randomUUID();
    await createRun(system.db, { id: runId, imp: (await findImportById(system.db, imp.body.id))!, mode: 'test', trigger: 'manual', workflowId: `long-${runId}` });
    await env.run(activities.beginRun, { runId, importId: imp.body.id as string, mode: 'test' as const, trigger: 'manual' as const });
    const { files } = await env.run(activities.listFiles, { runId }) as Awaited<ReturnType<typeof activities.listFiles>>;
    assert.equal(files, 1);
    const { runFileId } = await env.run(activities.claimFile, { runId, ordinal: 0 }) as Awaited<ReturnType<typeof activities.claimFile>>;
    // the longest row's fields: "S10" to "S39", "F", "D", "08/01/2025" and the 900,000 x
    assert.deepEqual(await env.run(activities.stageFile, { runFileId: runFileId! }), { outcome: 'ready', rows: 40, longestRowChars: 3 + 1 + 1 + 10 + 900_000 });

    const total = insertSizes.reduce((a, b) => a + b, 0);
    assert.ok(total > 36_000_000, `${total} characters staged`);
    assert.ok(Math.max(...insertSizes) < 6_000_000, `a write of ${Math.max(...insertSizes)} characters`);
  });
});
