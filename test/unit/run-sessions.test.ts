import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ConnectionConfig } from '../../domain/connection';
import { RunSessions } from '../../activities/run-sessions';
import type { FileSource } from '../../sources/file-source';

/** A session that only counts: RunSessions never calls more than alive() and close(). */
function fakeSource(answers = true, canCheck = true): FileSource & { closed: number } {
  const source = {
    fingerprint: undefined,
    closed: 0,
    list: async () => [],
    stat: async () => undefined,
    openRead: async () => {
      throw new Error('not used');
    },
    rename: async () => undefined,
    write: async () => undefined,
    async close() {
      source.closed++;
    },
    ...(canCheck ? { alive: async () => answers } : {}),
  };
  return source;
}

const config = (password: string) => ({ protocol: 'sftp', host: 'files.example.org', port: 22, username: 'u', directoryPath: '/', password }) as unknown as ConnectionConfig;

describe('a run\'s kept session', () => {
  it('goes to the next activity of the same run with the same credentials', async () => {
    const sessions = new RunSessions();
    const source = fakeSource();
    await sessions.keep(RunSessions.key('run-1', config('a')), source);
    assert.equal(await sessions.take(RunSessions.key('run-1', config('a'))), source);
    assert.equal(await sessions.take(RunSessions.key('run-1', config('a'))), undefined, 'to one activity at a time');
  });

  it('is not given to another run, nor after the credentials changed', async () => {
    const sessions = new RunSessions();
    await sessions.keep(RunSessions.key('run-1', config('a')), fakeSource());
    assert.equal(await sessions.take(RunSessions.key('run-2', config('a'))), undefined);
    assert.equal(await sessions.take(RunSessions.key('run-1', config('b'))), undefined);
    await sessions.closeAll();
  });

  it('is closed instead of given when it no longer answers', async () => {
    const sessions = new RunSessions();
    const dead = fakeSource(false);
    await sessions.keep('k', dead);
    assert.equal(await sessions.take('k'), undefined);
    assert.equal(dead.closed, 1);
  });

  it('is closed at once when the source cannot say it is alive', async () => {
    const sessions = new RunSessions();
    const smbLike = fakeSource(true, false);
    await sessions.keep('k', smbLike);
    assert.equal(smbLike.closed, 1);
    assert.equal(await sessions.take('k'), undefined);
  });

  it('is closed when no activity takes it in time', async () => {
    const sessions = new RunSessions(20);
    const source = fakeSource();
    await sessions.keep('k', source);
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.equal(source.closed, 1);
    assert.equal(await sessions.take('k'), undefined);
  });
});
