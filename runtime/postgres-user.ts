import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { StartupError } from './errors';

const run = promisify(execFile);

export interface UnixUser {
  uid: number;
  gid: number;
}

/** True when this process runs as root, where PostgreSQL refuses to run. */
export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** The `postgres` system user, created when missing (as a Debian package would). Root only. */
export async function ensurePostgresUser(): Promise<UnixUser> {
  const existing = await lookUp('postgres');
  if (existing) return existing;
  try {
    await run('groupadd', ['--system', 'postgres']).catch((error: unknown) => {
      // 9: the group exists already
      if ((error as { code?: unknown }).code !== 9) throw error;
    });
    await run('useradd', ['--system', '--gid', 'postgres', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', 'postgres']);
  } catch (error) {
    throw new StartupError('PostgreSQL cannot run as root, and creating a "postgres" user for it failed. Set DATABASE_URL or run as another user.', {
      cause: error,
    });
  }
  const created = await lookUp('postgres');
  if (!created) throw new StartupError('Created the "postgres" user, but cannot look it up.');
  return created;
}

async function lookUp(name: string): Promise<UnixUser | undefined> {
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', name]), run('id', ['-g', name])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    return undefined;
  }
}

/** Whether `user` can use `path` (`test -x` for a program or folder, `-w` to write). */
export async function canAccessAs(user: UnixUser, path: string, test: '-x' | '-w'): Promise<boolean> {
  try {
    await run('test', [test, path], { uid: user.uid, gid: user.gid });
    return true;
  } catch {
    return false;
  }
}
