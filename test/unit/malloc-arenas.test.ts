import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { MALLOC_ARENA_MAX } from '../../worker/malloc-arenas';

/** glibc reads MALLOC_ARENA_MAX only when a process starts, so each way of starting the worker sets it (worker/malloc-arenas.ts). */
describe('the worker\'s malloc arenas', () => {
  const scripts = JSON.parse(readFileSync('package.json', 'utf8')).scripts as Record<string, string>;

  for (const name of ['start', 'worker']) {
    it(`npm run ${name} sets MALLOC_ARENA_MAX unless the operator has`, () => {
      assert.match(scripts[name]!, new RegExp(`MALLOC_ARENA_MAX=\\$\\{MALLOC_ARENA_MAX:-${MALLOC_ARENA_MAX}\\} tsx `));
    });
  }

  it('the Docker image sets it', () => {
    assert.match(readFileSync('Dockerfile', 'utf8'), new RegExp(`^ENV MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX}$`, 'm'));
  });
});
