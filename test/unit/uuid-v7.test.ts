import { test } from 'node:test';
import assert from 'node:assert/strict';
import { uuidV7 } from '../../domain/uuid-v7';

test('a v7 UUID has version 7, the RFC variant and the time in its first 48 bits', () => {
  const now = Date.UTC(2026, 11, 7, 5, 0, 0);
  const id = uuidV7(now + 1000);
  assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(parseInt(id.replace(/-/g, '').slice(0, 12), 16), now + 1000);
});

test('ids made one after another ascend and differ, also within one millisecond', () => {
  const ids = Array.from({ length: 10_000 }, () => uuidV7());
  assert.deepEqual([...ids].sort(), ids);
  assert.equal(new Set(ids).size, ids.length);
});
