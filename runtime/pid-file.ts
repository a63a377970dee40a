import { existsSync, readFileSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { StartupError } from './errors';
import { trySignal } from './service-process';

/**
 * A small JSON file beside a service's data, naming the server process and the start
 * script that owns it. It lets a later start tell a server left behind by a killed
 * start (stop it, start afresh) from one that another running start still uses.
 */
interface PidRecord {
  pid: number;
  ownerPid: number;
}

export async function writePidFile(path: string, pid: number): Promise<void> {
  const record: PidRecord = { pid, ownerPid: process.pid };
  await writeFile(path, JSON.stringify(record), { mode: 0o600 });
}

export async function removePidFile(path: string): Promise<void> {
  await rm(path, { force: true });
}

async function readPidFile(path: string): Promise<PidRecord | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && 'pid' in parsed && 'ownerPid' in parsed) {
      const { pid, ownerPid } = parsed;
      if (typeof pid === 'number' && typeof ownerPid === 'number') return { pid, ownerPid };
    }
  } catch {
    // unreadable: treated as absent below
  }
  return undefined;
}

/** True while the process exists and is not a zombie waiting to be reaped. */
export function isAlive(pid: number): boolean {
  try {
    if (!trySignal(pid, 0)) return false;
  } catch {
    // EPERM: it exists, it just is not ours
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch (error) {
    // Without /proc (macOS) the signal check is all we have; with it, ENOENT means gone.
    return (error as NodeJS.ErrnoException).code !== 'ENOENT' || !existsSync('/proc/self');
  }
}

/** The command line of a process, where /proc shows it (Linux); undefined elsewhere. */
export async function commandLineOf(pid: number): Promise<string | undefined> {
  try {
    return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).replaceAll('\0', ' ');
  } catch {
    return undefined;
  }
}

export interface ClearStaleOptions {
  /** What the service is called in messages. */
  name: string;
  /** A word its command line contains, so an unrelated process that reused the pid is left alone. */
  commandContains: string;
  stopSignal: NodeJS.Signals;
  graceMs?: number;
}

/**
 * Before starting a service on data that a pid file guards: refuses when another live
 * start owns it; stops a server whose owner is gone; removes the file.
 * Returns true when it stopped a leftover server.
 */
export async function clearStaleProcess(path: string, options: ClearStaleOptions): Promise<boolean> {
  const record = await readPidFile(path);
  if (!record) {
    await removePidFile(path);
    return false;
  }
  if (record.ownerPid !== process.pid && isAlive(record.ownerPid) && isAlive(record.pid)) {
    const commandLine = await commandLineOf(record.pid);
    if (commandLine === undefined || commandLine.includes(options.commandContains)) {
      throw new StartupError(
        `${options.name} (pid ${record.pid}) is already running for this data directory, started by process ${record.ownerPid}. ` +
          `Stop that first, or use another DATA_DIR.`,
      );
    }
  }
  let stopped = false;
  if (isAlive(record.pid)) {
    const commandLine = await commandLineOf(record.pid);
    if (commandLine === undefined || commandLine.includes(options.commandContains)) {
      stopped = await stopProcess(record.pid, options.stopSignal, options.graceMs ?? 15_000);
    }
  }
  await removePidFile(path);
  return stopped;
}

async function stopProcess(pid: number, signal: NodeJS.Signals, graceMs: number): Promise<boolean> {
  if (!trySignal(pid, signal)) return false;
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(100);
  if (isAlive(pid)) {
    trySignal(pid, 'SIGKILL');
    const killDeadline = Date.now() + 5_000;
    while (isAlive(pid) && Date.now() < killDeadline) await sleep(50);
  }
  return true;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
