import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import { MockActivityEnvironment } from '@temporalio/testing';
import { whileHeartbeating, type Heartbeat } from '../../activities/heartbeat';
import { HEARTBEAT_EVERY_MS } from '../../domain/heartbeats';

/** Runs whileHeartbeating in a mock activity around work that ends when finish() is called; records the beats. */
function heartbeating(setUp: (beat: Heartbeat) => void) {
  const env = new MockActivityEnvironment();
  const beats: unknown[] = [];
  env.on('heartbeat', (d: unknown) => beats.push(d));
  let finish!: () => void;
  const work = new Promise<void>((resolve) => (finish = resolve));
  let beat!: Heartbeat;
  const done = env.run(() =>
    whileHeartbeating((b) => {
      beat = b;
      setUp(b);
      return work;
    }),
  );
  return { beats, finish, done, beat };
}

const ticks = (n: number) => {
  for (let i = 0; i < n; i++) mock.timers.tick(HEARTBEAT_EVERY_MS);
};

describe('an activity\'s heartbeat', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setInterval', 'Date'] }));
  afterEach(() => mock.timers.reset());

  it('beats every interval with the latest details while the work waits, and stops when it ends', async () => {
    let chunk = 0;
    const { beats, finish, done } = heartbeating((beat) => (beat.details = () => ({ chunk })));
    ticks(2);
    chunk = 3;
    ticks(1);
    assert.deepEqual(beats, [{ chunk: 0 }, { chunk: 0 }, { chunk: 3 }]);
    finish();
    await done;
    ticks(5);
    assert.equal(beats.length, 3);
  });

  it('stops beating once what it watches has stood still for the stall time, and beats again when it moves', async () => {
    let bytes = 0;
    const { beats, finish, done } = heartbeating((beat) => {
      beat.details = () => bytes;
      beat.watch = { progress: () => bytes, stallAfterMs: 3 * HEARTBEAT_EVERY_MS };
    });
    ticks(10);
    // the first look, and the beats up to 3 intervals after it: nothing moved since
    assert.equal(beats.length, 4);
    bytes = 10;
    ticks(1);
    assert.deepEqual(beats.slice(4), [10]);
    finish();
    await done;
  });

  it('beats again, without progress, once the watched phase is over', async () => {
    const { beats, finish, done, beat } = heartbeating((b) => {
      b.details = () => 'downloading';
      b.watch = { progress: () => 0, stallAfterMs: 2 * HEARTBEAT_EVERY_MS };
    });
    ticks(6);
    assert.equal(beats.length, 3, 'stalled');
    beat.details = () => 'checking the file';
    beat.watch = undefined;
    ticks(4);
    assert.deepEqual(beats.slice(3), ['checking the file', 'checking the file', 'checking the file', 'checking the file']);
    finish();
    await done;
  });
});
