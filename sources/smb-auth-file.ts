import { rmdirSync, rmSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { processAuthDir } from './smb-auth-dir';

export interface SmbCredentials {
  username: string;
  password?: string;
  domain?: string;
}

/** smbclient's `-A` file: the only way credentials reach smbclient (never argv, where `ps` shows them). */
export interface SmbAuthFile {
  readonly path: string;
  /** The file's own 0700 directory, removed with it: smbclient's HOME, so nothing it writes lands elsewhere. */
  readonly directory: string;
  remove(): Promise<void>;
}

/**
 * Why smbclient cannot read these credentials from an authentication file, or undefined.
 * It reads one `key = value` per line and drops the spaces and tabs after `=`, so a value
 * cannot hold a line break and a password cannot start with a space or tab. Refusing
 * here spares the account a failed logon (and a step towards lockout).
 */
export function credentialsProblem(credentials: SmbCredentials): string | undefined {
  const { username, password = '', domain = '' } = credentials;
  if (/[\r\n]/.test(username + password + domain)) return 'the user name, password or domain contains a line break';
  if (/^[ \t]/.test(username) || /^[ \t]/.test(domain)) return 'the user name or domain starts with a space';
  if (/^[ \t]/.test(password)) return 'the password starts with a space or tab';
  return undefined;
}

/** Auth files not yet removed, so that an exiting process still removes them; a crash leaves them to sweepLeftoverAuthFiles. */
const liveDirectories = new Set<string>();
let exitHookInstalled = false;

function removeLiveDirectoriesOnExit(processDir: string) {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const dir of liveDirectories) rmSync(dir, { recursive: true, force: true });
    try {
      rmdirSync(processDir);
    } catch {
      // not empty or already gone
    }
  });
}

/** Writes the file (mode 0600, in a fresh 0700 directory under this process's one). The caller checked credentialsProblem. */
export async function createAuthFile(credentials: SmbCredentials): Promise<SmbAuthFile> {
  const processDir = await processAuthDir();
  removeLiveDirectoriesOnExit(processDir);
  const dir = await mkdtemp(join(processDir, 'session-'));
  liveDirectories.add(dir);
  const path = join(dir, 'credentials');
  const lines = [`username = ${credentials.username}`, `password = ${credentials.password ?? ''}`];
  // No domain line: smbclient uses its workgroup, which a standalone server ignores for local users.
  if (credentials.domain) lines.push(`domain = ${credentials.domain}`);
  try {
    await writeFile(path, lines.join('\n') + '\n', { mode: 0o600, flag: 'wx' });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    liveDirectories.delete(dir);
    throw error;
  }
  return {
    path,
    directory: dir,
    remove: async () => {
      await rm(dir, { recursive: true, force: true });
      liveDirectories.delete(dir);
    },
  };
}
