import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { findFreePort } from '../../runtime/free-port';

/** `npm start` as a user runs it, minus npm: scripts/start.ts in its own process with a fresh data dir. */
interface StartRun {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

async function startCommand(dataDir: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<StartRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: '0', ...extraEnv };
  for (const name of ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'SECRETS_KEY', 'ADMIN_API_KEY', 'TEMPORAL_UI_URL']) {
    if (!(name in extraEnv)) delete env[name];
  }
  env.TEMPORAL_PORT ??= String(await findFreePort());
  env.TEMPORAL_UI_PORT ??= String(await findFreePort());
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitFor(run: StartRun, text: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!run.output().includes(text)) {
    if (run.child.exitCode !== null) throw new Error(`start exited (${run.child.exitCode}) before printing "${text}":\n${run.output()}`);
    if (Date.now() > deadline) throw new Error(`start did not print "${text}" within ${timeoutMs} ms:\n${run.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function field(output: string, label: string): string {
  const match = new RegExp(`^\\s+${label}\\s+(\\S+)`, 'm').exec(output);
  assert.ok(match?.[1], `"${label}" is printed`);
  return match[1];
}

async function processGone(pidFile: string): Promise<void> {
  await assert.rejects(stat(pidFile), { code: 'ENOENT' }, `${pidFile} is removed`);
}

test('npm start runs the whole system, prints where it is, and Ctrl-C stops it in order with exit 0', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'runtime-start-'));
  const run = await startCommand(dataDir);
  try {
    await waitFor(run, 'Press Ctrl-C to stop.', 120_000);
    const output = run.output();
    const api = field(output, 'API');
    const adminKey = field(output, 'Admin key');
    assert.equal(field(output, 'OpenAPI'), `${api}/api/openapi.json`);
    assert.match(field(output, 'Temporal UI'), /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(adminKey, (await readFile(join(dataDir, 'admin-api-key'), 'utf8')).trim());
    assert.match(output, /PostgreSQL\s+embedded, data in .*postgres; postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/scheduled_imports/);
    assert.match(output, /Try: curl -s -X POST .*\/api\/districts -H "Authorization: Bearer /);

    const health = await fetch(`${api}/api/health`);
    assert.equal(health.status, 200);
    const created = await fetch(`${api}/api/districts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Start Test District', timeZone: 'America/Chicago' }),
    });
    assert.equal(created.status, 201, await created.text());
    const openapi = await fetch(`${api}/api/openapi.json`);
    assert.equal(openapi.status, 200);
    await openapi.body?.cancel();

    run.child.kill('SIGINT');
    const code = await run.exited;
    const stopping = run.output().split('\n').filter((line) => /^Stopping [A-Za-z]+…$/.test(line));
    assert.deepEqual(stopping, ['Stopping API…', 'Stopping worker…', 'Stopping Temporal…', 'Stopping PostgreSQL…']);
    await processGone(join(dataDir, 'temporal.db.pid'));
    await processGone(join(dataDir, 'postgres.pid'));
    assert.equal(code, 0, run.output());
  } finally {
    if (run.child.exitCode === null) {
      run.child.kill('SIGTERM');
      await run.exited;
    }
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('a failure while starting stops what had started and exits 1 with one clear message', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'runtime-start-fail-'));
  const unusedPort = await findFreePort();
  const run = await startCommand(dataDir, { DATABASE_URL: `postgres://nobody:secret@127.0.0.1:${unusedPort}/none` });
  try {
    const code = await run.exited;
    assert.equal(code, 1, run.output());
    assert.match(run.output(), /Could not start Scheduled Imports: Migrating the database \(postgres:\/\/nobody:\*\*\*@127\.0\.0\.1:\d+\/none\) failed\.\n\s+caused by: connect ECONNREFUSED/);
    assert.doesNotMatch(run.output(), /secret/);
    assert.match(run.output(), /Stopping Temporal…/);
    await processGone(join(dataDir, 'temporal.db.pid'));
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
