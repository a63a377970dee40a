import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CHUNK_TEXT_BUDGET, chunkRowsFor } from '../../domain/chunk-rows';

describe('rows per chunk for a file', () => {
  it('keeps the chunk size for ordinary rows', () => {
    assert.equal(chunkRowsFor(10_000, 120), 10_000);
  });

  it('keeps the chunk size when staging said nothing (a run started before the count existed)', () => {
    assert.equal(chunkRowsFor(10_000, undefined), 10_000);
    assert.equal(chunkRowsFor(10_000, 0), 10_000);
  });

  it('holds a chunk\'s text under the budget when rows are long', () => {
    const longest = 1024 * 1024;
    const rows = chunkRowsFor(10_000, longest);
    assert.equal(rows, Math.floor(CHUNK_TEXT_BUDGET / longest));
    assert.ok(rows * longest <= CHUNK_TEXT_BUDGET);
  });

  it('never goes below one row', () => {
    assert.equal(chunkRowsFor(10_000, CHUNK_TEXT_BUDGET * 4), 1);
  });
});
