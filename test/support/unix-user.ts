import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The local account the test file servers (sshd, vsftpd, smbd) log in as. Not root: permission tests need a real user. */
export const TEST_USER = 'sitest';
export const TEST_PASSWORD = 'Correct-Horse-7';

export interface UnixUser {
  name: string;
  password: string;
  uid: number;
  gid: number;
}

/** Creates (once) the test account with a password and a shell listed in /etc/shells. Needs root. */
export function ensureTestUser(): UnixUser {
  try {
    execFileSync('id', ['-u', TEST_USER], { stdio: 'ignore' });
  } catch {
    try {
      execFileSync('useradd', ['--create-home', '--shell', '/bin/bash', TEST_USER], { stdio: 'pipe' });
    } catch (error) {
      // another test process may have created it in the meantime
      execFileSync('id', ['-u', TEST_USER], { stdio: 'ignore' });
      void error;
    }
  }
  execFileSync('chpasswd', [], { input: `${TEST_USER}:${TEST_PASSWORD}\n` });
  const uid = Number(execFileSync('id', ['-u', TEST_USER]).toString().trim());
  const gid = Number(execFileSync('id', ['-g', TEST_USER]).toString().trim());
  return { name: TEST_USER, password: TEST_PASSWORD, uid, gid };
}

/** A fresh directory owned by the test user, for a server's files. */
export function makeUserDir(user: UnixUser, prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `si-${prefix}-`));
  chmodSync(dir, 0o755);
  chownSync(dir, user.uid, user.gid);
  return dir;
}

