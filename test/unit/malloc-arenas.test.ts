import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { MALLOC_ARENA_MAX } from '../../worker/malloc-arenas';

/** glibc reads MALLOC_ARENA_MAX only when a process starts, so each way of starting the worker sets it (worker/malloc-arenas.ts). */
describe('the worker\'s malloc arenas', () => {
  const scripts = JSON.parse(readFileSync('package.json', 'utf8')).scripts as Record<string, string>;

  // npm start runs the whole system through tsx; npm run worker runs the built worker with node
  for (const [name, command] of [['start', 'tsx'], ['worker', 'node']] as const) {
    it(`npm run ${name} sets MALLOC_ARENA_MAX unless the operator has`, () => {
      assert.match(scripts[name]!, new RegExp(`MALLOC_ARENA_MAX=\\$\\{MALLOC_ARENA_MAX:-${MALLOC_ARENA_MAX}\\} ${command} `));
    });
  }

  it('the Docker image sets it', () => {
    assert.match(readFileSync('Dockerfile', 'utf8'), new RegExp(`^ENV MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX}$`, 'm'));
  });
});
