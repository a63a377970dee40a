import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Shutdown } from '../../runtime/shutdown';

test('stops in the given order, whatever order things were registered in', async () => {
  const stopped: string[] = [];
  const shutdown = new Shutdown(['API', 'worker', 'Temporal', 'PostgreSQL']);
  for (const name of ['PostgreSQL', 'Temporal', 'worker', 'API']) shutdown.register(name, async () => void stopped.push(name));
  assert.deepEqual(await shutdown.run(), []);
  assert.deepEqual(stopped, ['API', 'worker', 'Temporal', 'PostgreSQL']);
});

test('a failing or hanging stop is reported and the rest still stop', async () => {
  const stopped: string[] = [];
  const shutdown = new Shutdown(['a', 'b', 'c'], () => undefined, 50);
  shutdown.register('a', async () => {
    throw new Error('a broke');
  });
  shutdown.register('b', () => new Promise<void>(() => undefined));
  shutdown.register('c', async () => void stopped.push('c'));
  const errors = await shutdown.run();
  assert.deepEqual(
    errors.map((error) => error.message),
    ['a broke', 'b did not stop within 0.05 s'],
  );
  assert.deepEqual(stopped, ['c']);
});

test('running it twice stops each thing once', async () => {
  let stops = 0;
  const shutdown = new Shutdown(['x']);
  shutdown.register('x', async () => void stops++);
  await Promise.all([shutdown.run(), shutdown.run()]);
  await shutdown.run();
  assert.equal(stops, 1);
});

test('a name outside the order is a programming error', () => {
  assert.throws(() => new Shutdown(['x']).register('y', async () => undefined), /no place for "y"/);
});
