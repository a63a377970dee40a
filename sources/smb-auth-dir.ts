import { lstat, mkdir, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Where smbclient's credential files live: `<tmpdir>/si-smb-auth-<uid>/<pid>/<session>/credentials`.
 * The root is private to the user (0700, owned, not a link), so no other local user can read
 * or plant anything in it. Several workers may share a machine, so each process writes under
 * its own pid: a starting worker removes the directories of processes that are gone (a crash
 * skips their cleanup) and never touches a live process's files.
 */
export function authRoot(): string {
  return join(tmpdir(), `si-smb-auth-${process.getuid?.() ?? 'user'}`);
}

export class AuthDirError extends Error {
  override readonly name = 'AuthDirError';
}

/** This process's directory for credential files, made (0700) on first use. */
export async function processAuthDir(root = authRoot()): Promise<string> {
  await makePrivateDir(root);
  const dir = join(root, String(process.pid));
  await makePrivateDir(dir);
  return dir;
}

/**
 * Removes the credential directories of processes that no longer run; returns their pids.
 * A pid the system has handed to another process since counts as running: its files wait
 * for a later sweep, which errs on the side of never deleting a live process's file.
 */
export async function sweepLeftoverAuthFiles(root = authRoot()): Promise<number[]> {
  let names: string[];
  try {
    names = await readdir(root);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new AuthDirError(`cannot read ${root}`, { cause: error });
  }
  // Deleting inside a directory someone else controls could delete what they point it at.
  await checkPrivate(root);
  const swept: number[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (isRunning(pid)) continue;
    await rm(join(root, name), { recursive: true, force: true });
    swept.push(pid);
  }
  return swept;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function makePrivateDir(path: string): Promise<void> {
  try {
    await mkdir(path, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new AuthDirError(`cannot create ${path}`, { cause: error });
  }
  await checkPrivate(path);
}

/** A real directory (not a link), owned by this user, that no one else may enter. */
async function checkPrivate(path: string): Promise<void> {
  const stats = await lstat(path);
  const uid = process.getuid?.();
  if (!stats.isDirectory() || (uid !== undefined && stats.uid !== uid) || (stats.mode & 0o077) !== 0) {
    throw new AuthDirError(`${path} is not a private directory of this user (a directory, owned by it, mode 0700); remove it`);
  }
}
