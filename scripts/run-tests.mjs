#!/usr/bin/env node
// Runs every test/**/*.test.ts (or the files and folders given) with node's test runner under tsx,
// one file at a time. Node 20 does not expand globs given to --test, and npm runs
// scripts with sh, which has no **, so the files are listed here.
// After the spec output comes the table of faults survived (test/faults/fault-table-reporter.mjs), then
// the spec reporter's closing counts, held back so the output still ends with them.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function findTests(dir) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findTests(path));
    else if (entry.isFile() && entry.name.endsWith('.test.ts')) found.push(relative(root, path));
  }
  return found.sort();
}

const given = process.argv.slice(2);
const files = given.length ? given.flatMap((path) => (statSync(resolve(path)).isDirectory() ? findTests(resolve(path)) : [path])) : findTests(join(root, 'test'));
if (files.length === 0) {
  console.error('No test files found under test/.');
  process.exit(1);
}

const tsx = join(root, 'node_modules', '.bin', 'tsx');
const tableDir = mkdtempSync(join(tmpdir(), 'si-fault-table-'));
const tableFile = join(tableDir, 'faults.txt');
const reporters = [
  '--test-reporter=spec',
  '--test-reporter-destination=stdout',
  `--test-reporter=${join(root, 'test', 'faults', 'fault-table-reporter.mjs')}`,
  `--test-reporter-destination=${tableFile}`,
];
// A test that hangs fails after 10 minutes instead of holding CI to its limit.
const child = spawn(tsx, ['--test', '--test-concurrency=1', '--test-timeout=600000', ...reporters, ...files], {
  cwd: root,
  stdio: ['inherit', 'pipe', 'inherit'],
  env: process.stdout.isTTY ? { FORCE_COLOR: '1', ...process.env } : process.env,
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));

// the spec reporter's closing counts are held back and printed last, after the fault table
const COUNT = /^(\x1b\[[0-9;]*m)*ℹ (tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) [0-9.]+(\x1b\[[0-9;]*m)*$/;
const held = [];
// Node 20's runner exits 0 when a file's before() hook fails and cancels its tests, or when a file times out:
// both are failures here.
const CANCELLED = /ℹ cancelled ([0-9]+)/;
const FILE_FAILED = /^(\x1b\[[0-9;]*m)*✖ \S+\.test\.ts \(/;
let filesFailed = 0;
const lines = createInterface({ input: child.stdout, crlfDelay: Infinity });
lines.on('line', (line) => {
  if (FILE_FAILED.test(line)) filesFailed++;
  if (COUNT.test(line)) held.push(line);
  else process.stdout.write(`${line}\n`);
});
const closed = new Promise((resolve) => lines.once('close', resolve));

child.on('exit', async (code, signal) => {
  await closed;
  let table = '';
  try {
    table = readFileSync(tableFile, 'utf8');
  } catch {
    // no fault test ran, or the runner died before reporting
  }
  rmSync(tableDir, { recursive: true, force: true });
  if (table.trim()) process.stdout.write(`${table}\n`);
  for (const h of held) process.stdout.write(`${h}\n`);
  const cancelled = held.map((h) => Number(CANCELLED.exec(h)?.[1] ?? 0)).reduce((a, b) => a + b, 0);
  if (code === 0 && (cancelled > 0 || filesFailed > 0)) {
    process.stdout.write(`✖ ${cancelled} test(s) cancelled and ${filesFailed} test file(s) failed outside any test: the run fails.\n`);
    process.exit(1);
  }
  process.exit(code ?? (signal ? 1 : 0));
});
