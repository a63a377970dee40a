import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, DEFAULT_MAX_BYTES_PER_RUN, DEFAULT_MAX_FILES_PER_RUN, DEFAULT_MAX_ROWS_PER_RUN, loadRunCaps } from '../../config';
import { capListing, filesWaitingProblem, rowsWaitingProblem, rowWindow, splitRows } from '../../domain/run-caps';

describe('run caps: the listing', () => {
  const roomy = { maxFiles: 100, maxBytes: 1_000 };

  it('takes every file when no cap is reached', () => {
    assert.deepEqual(capListing([10, 20, 30], roomy), { take: 3, waiting: 0, cap: null });
  });

  it('takes the first maxFiles files and leaves the rest waiting', () => {
    assert.deepEqual(capListing([1, 1, 1, 1, 1, 1, 1], { ...roomy, maxFiles: 3 }), { take: 3, waiting: 4, cap: 'files' });
  });

  it('exactly maxFiles files is no cap reached', () => {
    assert.deepEqual(capListing([1, 1, 1], { ...roomy, maxFiles: 3 }), { take: 3, waiting: 0, cap: null });
  });

  it('stops before the file that would pass the byte cap, even if a smaller one follows (oldest first holds)', () => {
    assert.deepEqual(capListing([400, 500, 200, 1], roomy), { take: 2, waiting: 2, cap: 'bytes' });
  });

  it('a byte total exactly at the cap is allowed', () => {
    assert.deepEqual(capListing([500, 500], roomy), { take: 2, waiting: 0, cap: null });
  });

  it('always takes the first file, however large', () => {
    assert.deepEqual(capListing([5_000, 1], roomy), { take: 1, waiting: 1, cap: 'bytes' });
  });

  it('an empty listing takes nothing and reaches no cap', () => {
    assert.deepEqual(capListing([], roomy), { take: 0, waiting: 0, cap: null });
  });
});

describe('run caps: a file\'s rows', () => {
  it('a window starts where earlier runs stopped and holds at most the budget', () => {
    assert.deepEqual(rowWindow(300, 100), { from: 300, to: 400 });
  });

  it('a spent budget is an empty window', () => {
    assert.deepEqual(rowWindow(0, -5), { from: 0, to: 0 });
  });

  it('a file longer than the window leaves its other rows for later', () => {
    assert.deepEqual(splitRows(1_000, rowWindow(0, 250)), { rows: 250, rowsAfter: 750 });
  });

  it('the last window takes the rest and leaves nothing', () => {
    assert.deepEqual(splitRows(1_000, rowWindow(750, 5_000)), { rows: 250, rowsAfter: 0 });
  });

  it('a file that fits the window exactly leaves nothing', () => {
    assert.deepEqual(splitRows(250, rowWindow(0, 250)), { rows: 250, rowsAfter: 0 });
  });

  it('consecutive windows cover a file exactly once', () => {
    const total = 1_234;
    let done = 0;
    const taken: number[] = [];
    while (true) {
      const { rows, rowsAfter } = splitRows(total, rowWindow(done, 500));
      taken.push(rows);
      done += rows;
      if (rowsAfter === 0) break;
    }
    assert.deepEqual(taken, [500, 500, 234]);
  });
});

describe('run caps: warnings', () => {
  it('the files warning names the cap, its setting and how many files wait', () => {
    const p = filesWaitingProblem('files', 3, 4);
    assert.equal(p.code, 'RUN_CAP_REACHED');
    assert.equal(p.severity, 'warning');
    assert.equal(p.line, null);
    assert.match(p.message, /MAX_FILES_PER_RUN = 3/);
    assert.match(p.message, /4 files wait/);
  });

  it('the rows warning belongs to the file and says how many of its rows continue next run', () => {
    const p = rowsWaitingProblem('IC_Eligibility_big.csv', 100, 100, 900);
    assert.equal(p.file, 'IC_Eligibility_big.csv');
    assert.equal(p.line, null);
    assert.match(p.message, /MAX_ROWS_PER_RUN = 100/);
    assert.match(p.message, /other 900 rows/);
  });
});

describe('run caps: settings', () => {
  it('defaults: 500 files, 2 GiB, 5,000,000 rows', () => {
    assert.deepEqual(loadRunCaps({}), { maxFiles: DEFAULT_MAX_FILES_PER_RUN, maxBytes: DEFAULT_MAX_BYTES_PER_RUN, maxRows: DEFAULT_MAX_ROWS_PER_RUN });
    assert.deepEqual([DEFAULT_MAX_FILES_PER_RUN, DEFAULT_MAX_BYTES_PER_RUN, DEFAULT_MAX_ROWS_PER_RUN], [500, 2 * 1024 ** 3, 5_000_000]);
  });

  it('reads the three settings', () => {
    assert.deepEqual(loadRunCaps({ MAX_FILES_PER_RUN: '3', MAX_BYTES_PER_RUN: '1048576', MAX_ROWS_PER_RUN: '100000' }), { maxFiles: 3, maxBytes: 1_048_576, maxRows: 100_000 });
  });

  it('refuses a cap that is not a positive whole number, naming the setting', () => {
    assert.throws(() => loadRunCaps({ MAX_ROWS_PER_RUN: '0' }), (e: unknown) => e instanceof ConfigError && /MAX_ROWS_PER_RUN/.test(e.message));
    assert.throws(() => loadRunCaps({ MAX_FILES_PER_RUN: '2.5' }), (e: unknown) => e instanceof ConfigError && /MAX_FILES_PER_RUN/.test(e.message));
    assert.throws(() => loadRunCaps({ MAX_BYTES_PER_RUN: '-1' }), (e: unknown) => e instanceof ConfigError && /MAX_BYTES_PER_RUN/.test(e.message));
  });
});
