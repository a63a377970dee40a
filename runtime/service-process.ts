import { spawn } from 'node:child_process';
import { StartupError } from './errors';

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServiceProcess {
  readonly name: string;
  readonly pid: number;
  /** Resolves once the process has exited, however it ended. */
  readonly exited: Promise<ExitInfo>;
  hasExited(): boolean;
  /** The last lines it printed on stdout and stderr, oldest first. */
  lastLines(): string[];
  /** Sends the stop signal, waits up to `graceMs`, then kills its whole process group. */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnServiceOptions {
  name: string;
  command: string;
  args: readonly string[];
  /** What asks it to shut down cleanly: SIGTERM for most, SIGINT for PostgreSQL's fast shutdown. */
  stopSignal: NodeJS.Signals;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  uid?: number;
  gid?: number;
  log?: (line: string) => void;
  keepLines?: number;
}

const DEFAULT_GRACE_MS = 15_000;

/**
 * Starts a long-running server process in its own process group, so that Ctrl-C in a
 * terminal reaches only our start script, which then stops the services in order.
 * If this Node process exits without stopping it, the stop signal is still sent.
 */
export async function spawnService(options: SpawnServiceOptions): Promise<ServiceProcess> {
  const keep = options.keepLines ?? 40;
  const lines: string[] = [];
  const remember = (line: string): void => {
    if (!line.trim()) return;
    lines.push(line);
    if (lines.length > keep) lines.shift();
    options.log?.(line);
  };

  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    uid: options.uid,
    gid: options.gid,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const parts = (partial + chunk).split(/\r?\n/);
      partial = parts.pop() ?? '';
      parts.forEach(remember);
    });
    stream.on('end', () => {
      if (partial) remember(partial);
      partial = '';
    });
  }

  let done = false;
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('exit', (code, signal) => {
      done = true;
      resolve({ code, signal });
    });
  });

  const spawned = await new Promise<Error | undefined>((resolve) => {
    child.once('spawn', () => resolve(undefined));
    child.once('error', (error) => resolve(error));
  });
  if (spawned || child.pid === undefined) {
    throw new StartupError(`Could not run ${options.name} (${options.command}): ${spawned?.message ?? 'no process id'}`, { cause: spawned });
  }
  const pid = child.pid;
  // Later errors (a failed kill) must not crash the process; exit is what we wait for.
  child.on('error', () => undefined);

  const signalOnExit = (): void => {
    if (!done) trySignal(pid, options.stopSignal);
  };
  process.on('exit', signalOnExit);
  void exited.then(() => process.off('exit', signalOnExit));

  return {
    name: options.name,
    pid,
    exited,
    hasExited: () => done,
    lastLines: () => [...lines],
    async stop(graceMs = DEFAULT_GRACE_MS) {
      if (done) return;
      trySignal(pid, options.stopSignal);
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), graceMs);
      });
      const outcome = await Promise.race([exited, timedOut]);
      clearTimeout(timer);
      if (outcome === 'timeout') {
        trySignal(-pid, 'SIGKILL');
        await exited;
      }
    },
  };
}

/** Sends a signal; a process that is already gone is not an error. */
export function trySignal(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}
