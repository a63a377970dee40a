import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import { MockActivityEnvironment } from '@temporalio/testing';
import { whileHeartbeating } from '../../activities/heartbeat';
import { HEARTBEAT_EVERY_MS } from '../../domain/heartbeats';

/** Runs whileHeartbeating in a mock activity around work that ends when finish() is called; counts the beats. */
function heartbeating(details: () => unknown, stall?: { counter: () => number; afterMs: number }) {
  const env = new MockActivityEnvironment();
  const beats: unknown[] = [];
  env.on('heartbeat', (d: unknown) => beats.push(d));
  let finish!: () => void;
  const work = new Promise<void>((resolve) => (finish = resolve));
  const done = env.run(() => whileHeartbeating(details, () => work, stall));
  return { beats, finish, done };
}

describe('an activity\'s heartbeat', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setInterval', 'Date'] }));
  afterEach(() => mock.timers.reset());

  it('beats every interval with the latest details while the work waits, and stops when it ends', async () => {
    let chunk = 0;
    const { beats, finish, done } = heartbeating(() => ({ chunk }));
    mock.timers.tick(HEARTBEAT_EVERY_MS);
    chunk = 3;
    mock.timers.tick(HEARTBEAT_EVERY_MS);
    assert.deepEqual(beats, [{ chunk: 0 }, { chunk: 0 }, { chunk: 3 }]);
    finish();
    await done;
    mock.timers.tick(5 * HEARTBEAT_EVERY_MS);
    assert.equal(beats.length, 3);
  });

  it('stops beating once its counter has stood still for the stall time, and beats again when it moves', async () => {
    let bytes = 0;
    const { beats, finish, done } = heartbeating(() => bytes, { counter: () => bytes, afterMs: 3 * HEARTBEAT_EVERY_MS });
    for (let i = 0; i < 10; i++) mock.timers.tick(HEARTBEAT_EVERY_MS);
    // the first beat, and those within 3 intervals of it: nothing moved after the start
    assert.equal(beats.length, 4);
    bytes = 10;
    mock.timers.tick(HEARTBEAT_EVERY_MS);
    assert.deepEqual(beats.slice(4), [10]);
    finish();
    await done;
  });
});
