#!/usr/bin/env node
// Installs what `npm start` (and, with --test, `npm test`) needs on a fresh machine:
// npm packages, then for tests the Debian packages of the test file servers and the
// Temporal CLI. Plain Node with no dependencies, so it runs before `npm install`.
// Prints one line per thing it installs and nothing when all is there.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, statSync, utimesSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const forTests = process.argv.includes('--test');

/** Test servers' commands and the Debian packages that provide them. */
const DEBIAN_COMMANDS = [
  ['sshd', 'openssh-server'],
  ['vsftpd', 'vsftpd'],
  ['smbd', 'samba'],
  ['smbclient', 'smbclient'],
  // the HTTPS test makes a self-signed certificate
  ['openssl', 'openssl'],
  // the browser tests drive Debian's Chromium through playwright-core
  ['chromium', 'chromium'],
];

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  return { ok: result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}` };
}

function tail(text, lines = 15) {
  return text.trim().split('\n').slice(-lines).join('\n');
}

function mtime(path) {
  return existsSync(path) ? statSync(path).mtimeMs : 0;
}

function ensureNpmPackages() {
  // npm records each install in node_modules/.package-lock.json.
  const marker = join(root, 'node_modules', '.package-lock.json');
  const lockFile = join(root, 'package-lock.json');
  if (existsSync(marker) && mtime(marker) >= mtime(lockFile)) return;
  const flags = ['--no-audit', '--no-fund', '--loglevel=error'];
  let installed;
  if (existsSync(lockFile)) {
    console.log('Installing npm packages (npm ci)…');
    installed = run('npm', ['ci', ...flags]);
    if (!installed.ok) {
      // npm 11 rejects some lockfiles with platform-specific optional packages that npm install accepts.
      console.log('npm ci refused the lockfile; installing with npm install instead…');
      installed = run('npm', ['install', ...flags]);
    }
  } else {
    console.log('Installing npm packages (npm install)…');
    installed = run('npm', ['install', ...flags]);
  }
  if (!installed.ok) {
    console.error(`Installing npm packages failed:\n${tail(installed.output)}`);
    process.exit(1);
  }
  if (existsSync(marker)) {
    const now = new Date();
    utimesSync(marker, now, now);
  }
}

function onPath(command) {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin'];
  return dirs.some((dir) => {
    if (!dir) return false;
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function ensureDebianPackages() {
  const missing = DEBIAN_COMMANDS.filter(([command]) => !onPath(command)).map(([, pkg]) => pkg);
  if (missing.length === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !onPath('apt-get')) {
    console.log(
      `Skipping Debian packages ${missing.join(', ')}: ${isRoot ? 'apt-get is not available' : 'not running as root'}. ` +
        `The tests that use them will fail; install them with: sudo apt-get install -y ${missing.join(' ')}`,
    );
    return;
  }
  console.log(`Installing Debian packages: ${missing.join(', ')}…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = run('apt-get', ['update', '-qq'], { env });
  if (!update.ok) console.log(`apt-get update failed, trying the install anyway:\n${tail(update.output, 5)}`);
  const install = run('apt-get', ['install', '-y', '-qq', ...missing], { env });
  if (!install.ok) {
    console.error(`Installing ${missing.join(', ')} failed:\n${tail(install.output)}`);
    process.exit(1);
  }
}

function ensureTemporalCli() {
  const tsx = join(root, 'node_modules', '.bin', 'tsx');
  const result = spawnSync(tsx, [join(root, 'scripts', 'ensure-temporal-cli.ts')], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) console.log('Continuing without the Temporal CLI: the tests that need Temporal will fail.');
}

/** The contract fuzz (test/contract) runs schemathesis from its own virtualenv, at this version. */
export const SCHEMATHESIS_VERSION = '4.32.5';
const SCHEMATHESIS_VENV = join(root, '.cache', 'schemathesis');

function ensureSchemathesis() {
  const python = join(SCHEMATHESIS_VENV, 'bin', 'python');
  if (run(python, ['-c', `import importlib.metadata as m; assert m.version('schemathesis') == '${SCHEMATHESIS_VERSION}'`]).ok) return;
  console.log(`Installing schemathesis ${SCHEMATHESIS_VERSION} (pip, into .cache/schemathesis)…`);
  const venv = run('python3', ['-m', 'venv', SCHEMATHESIS_VENV]);
  const install = venv.ok ? run(python, ['-m', 'pip', 'install', '-q', `schemathesis==${SCHEMATHESIS_VERSION}`]) : venv;
  if (!install.ok) console.log(`Continuing without schemathesis: the contract fuzz will fail.\n${tail(install.output, 5)}`);
}

ensureNpmPackages();
if (forTests) {
  ensureDebianPackages();
  ensureTemporalCli();
  ensureSchemathesis();
}
