import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { AuthDirError, processAuthDir, sweepLeftoverAuthFiles } from '../../sources/smb-auth-dir';

/** A directory as createAuthFile leaves it: `<root>/<pid>/session-…/credentials`. */
async function plantCredentials(root: string, owner: string) {
  const dir = join(root, owner, 'session-abc');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFile(join(dir, 'credentials'), 'username = u\npassword = p\n', { mode: 0o600 });
}

/** A pid whose process has exited. */
function goneProcessPid(): number {
  const { pid } = spawnSync('true');
  assert.ok(pid);
  return pid;
}

async function withRoot(fn: (root: string) => Promise<void>) {
  const root = await mkdtemp(join(tmpdir(), 'si-smb-auth-test-'));
  await chmod(root, 0o700);
  try {
    await fn(root);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

describe('SMB credential directories', () => {
  it('sweeping removes the files of processes that are gone and keeps those of running ones', async () => {
    await withRoot(async (root) => {
      const sleeper = spawn('sleep', ['30']);
      try {
        const gone = goneProcessPid();
        for (const owner of [String(gone), String(process.pid), String(sleeper.pid), 'not-a-pid']) await plantCredentials(root, owner);

        assert.deepEqual(await sweepLeftoverAuthFiles(root), [gone]);
        assert.deepEqual((await readdir(root)).sort(), [String(process.pid), String(sleeper.pid), 'not-a-pid'].sort());
      } finally {
        sleeper.kill();
      }
    });
  });

  it('sweeping a root that does not exist yet does nothing', async () => {
    assert.deepEqual(await sweepLeftoverAuthFiles(join(tmpdir(), 'si-smb-auth-never-made')), []);
  });

  it('refuses to sweep a root that is a link, or that others may enter', async () => {
    await withRoot(async (root) => {
      const elsewhere = join(root, 'elsewhere');
      await plantCredentials(elsewhere, String(goneProcessPid()));
      const link = join(root, 'link');
      await symlink(elsewhere, link);
      await assert.rejects(sweepLeftoverAuthFiles(link), AuthDirError);
      assert.equal((await readdir(elsewhere)).length, 1, 'nothing deleted through the link');

      await chmod(elsewhere, 0o777);
      await assert.rejects(sweepLeftoverAuthFiles(elsewhere), AuthDirError);
      assert.equal((await readdir(elsewhere)).length, 1);
    });
  });

  it("a process's credential directory is its pid's, private, under a private root", async () => {
    await withRoot(async (parent) => {
      const root = join(parent, 'root');
      const dir = await processAuthDir(root);
      assert.equal(dir, join(root, String(process.pid)));
      assert.equal((await stat(root)).mode & 0o777, 0o700);
      assert.equal((await stat(dir)).mode & 0o777, 0o700);
      assert.equal(await processAuthDir(root), dir, 'the same directory on every call');

      await chmod(root, 0o755);
      await assert.rejects(processAuthDir(root), AuthDirError);
      assert.ok(existsSync(dir));
    });
  });
});
