#!/usr/bin/env node
// Runs every test/**/*.test.ts (or the files given) with node's test runner under tsx,
// one file at a time. Node 20 does not expand globs given to --test, and npm runs
// scripts with sh, which has no **, so the files are listed here.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
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
const files = given.length ? given : findTests(join(root, 'test'));
if (files.length === 0) {
  console.error('No test files found under test/.');
  process.exit(1);
}

const tsx = join(root, 'node_modules', '.bin', 'tsx');
// A test that hangs fails after 10 minutes instead of holding CI to its limit.
const child = spawn(tsx, ['--test', '--test-concurrency=1', '--test-timeout=600000', ...files], { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
