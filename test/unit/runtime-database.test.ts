import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { isPortFree } from '../../runtime/free-port';
import { startDatabase, type Database } from '../../runtime/database';

let dataDir = '';
let database: Database | undefined;

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'runtime-db-'));
  database = await startDatabase({ dataDir, persistent: false });
});

after(async () => {
  await database?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

test('an embedded database answers select 1 in database scheduled_imports', async () => {
  assert.ok(database);
  assert.equal(database.embedded, true);
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const result = await client.query<{ one: number; db: string }>('select 1 as one, current_database() as db');
    assert.deepEqual(result.rows, [{ one: 1, db: 'scheduled_imports' }]);
  } finally {
    await client.end();
  }
});

test('a DATABASE_URL is used as given and nothing is started', async () => {
  const given = await startDatabase({ databaseUrl: 'postgres://someone@db.invalid:5432/x', dataDir });
  assert.deepEqual({ url: given.url, embedded: given.embedded }, { url: 'postgres://someone@db.invalid:5432/x', embedded: false });
  await given.stop();
});

test('stop() shuts the server down, frees its port and deletes a throwaway cluster', async () => {
  assert.ok(database);
  const port = Number(new URL(database.url).port);
  const pgdata = database.pgdata;
  await database.stop();
  database = undefined;
  assert.equal(await isPortFree(port), true);
  assert.ok(pgdata);
  await assert.rejects(stat(pgdata), { code: 'ENOENT' });
});

test('a persistent cluster keeps its data, and a server left by a killed start is replaced', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'runtime-db-persistent-'));
  const started: Database[] = [];
  try {
    const first = await startDatabase({ dataDir: dir });
    started.push(first);
    await rows(first.url, "create table kept (value text); insert into kept values ('x')");

    // As if the start script that owned it had been killed: its pid file names a dead owner.
    const leftover = await serverPid(dir);
    await writeFile(join(dir, 'postgres.pid'), JSON.stringify({ pid: leftover, ownerPid: await pidOfExitedProcess() }));

    const second = await startDatabase({ dataDir: dir });
    started.push(second);
    assert.notEqual(await serverPid(dir), leftover, 'the leftover server was replaced');
    assert.deepEqual(await rows(second.url, 'select value from kept'), [{ value: 'x' }]);
  } finally {
    for (const database of started.reverse()) await database.stop();
    await rm(dir, { recursive: true, force: true });
  }
});

async function rows(url: string, sql: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query(sql);
    return Array.isArray(result) ? [] : result.rows;
  } finally {
    await client.end();
  }
}

async function serverPid(dataDir: string): Promise<number> {
  const lock = await readFile(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8');
  return Number(lock.split('\n')[0]);
}

function pidOfExitedProcess(): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', '']);
    child.once('error', reject);
    child.once('exit', () => resolve(child.pid ?? 0));
  });
}
