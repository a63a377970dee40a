import { test } from 'node:test';
import assert from 'node:assert/strict';
import { movedOn, randomKillPoints, reached } from '../../bench/kill-points';
import { parseOptions } from '../../bench/options';

test('bench options: sizes, roster, kills and chunk size from the command line, defaults otherwise', () => {
  assert.deepEqual(parseOptions([]), { sizes: [10_000, 100_000, 1_000_000], roster: 100_000, kill: 0, chunk: undefined });
  assert.deepEqual(parseOptions(['--sizes', '10000,100_000', '--roster', '0', '--kill=3', '--chunk', '5000']), { sizes: [10_000, 100_000], roster: 0, kill: 3, chunk: 5000 });
  assert.throws(() => parseOptions(['--sizes', '10k']), /--sizes/);
  assert.throws(() => parseOptions(['--fast']), /unknown option/);
});

test('kill points come in the order a run reaches them: staging ones (by bytes) before apply ones (by rows)', () => {
  const values = [0.9, 0.01, 0.5, 0.1];
  const points = randomKillPoints(4, () => values.shift()!);
  assert.deepEqual(points.map((p) => p.phase), ['staging', 'staging', 'apply', 'apply']);
  const shares = points.map((p) => (p.phase === 'staging' ? p.bytesShare : 1 + p.rowsShare));
  assert.deepEqual([...shares].sort((a, b) => a - b), shares);
  assert.ok(shares.every((s) => s > 0 && s < 2));
});

test('a staging point is reached by bytes, or passed once staging has ended; an apply point by rows read', () => {
  // rows staged so far count while the file downloads
  const at = { bytesRead: 400, bytesTotal: 1000, rowsStaged: 40, rowsRead: 0, rowsApplied: 0 };
  assert.equal(reached({ phase: 'staging', bytesShare: 0.5 }, at, 100), false);
  assert.equal(reached({ phase: 'staging', bytesShare: 0.5 }, { ...at, bytesRead: 500 }, 100), true);
  assert.equal(reached({ phase: 'staging', bytesShare: 0.9 }, { ...at, bytesRead: 1000, rowsStaged: 100 }, 100), true);
  assert.equal(reached({ phase: 'staging', bytesShare: 0.9 }, { ...at, rowsRead: 10 }, 100), true);
  assert.equal(reached({ phase: 'apply', rowsShare: 0.5 }, { ...at, rowsRead: 49 }, 100), false);
  assert.equal(reached({ phase: 'apply', rowsShare: 0.5 }, { ...at, rowsRead: 50 }, 100), true);
});

test('a resumed run has moved on when rows are read or staged, or a staging retry reads bytes again', () => {
  const atKill = { bytesRead: 700, bytesTotal: 1000, rowsStaged: 0, rowsRead: 0, rowsApplied: 0 };
  assert.equal(movedOn(atKill, atKill), false);
  assert.equal(movedOn(atKill, { ...atKill, bytesRead: 100 }), true);
  assert.equal(movedOn(atKill, { ...atKill, rowsStaged: 10 }), true);
  assert.equal(movedOn({ ...atKill, rowsStaged: 10, rowsRead: 20 }, { ...atKill, rowsStaged: 10, rowsRead: 40 }), true);
});
