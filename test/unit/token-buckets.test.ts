import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TokenBuckets, type TokenBucketSettings } from '../../api/token-buckets';

/** Buckets on a clock that moves only when the test says so. */
function bucketsOnFakeClock(settings: Omit<TokenBucketSettings, 'now'>) {
  const clock = { ms: Date.UTC(2026, 0, 5, 9) };
  const buckets = new TokenBuckets({ ...settings, now: () => clock.ms });
  return { buckets, advance: (ms: number) => void (clock.ms += ms) };
}

const takeTimes = (buckets: TokenBuckets, key: string, times: number) => Array.from({ length: times }, () => buckets.take(key).admitted);

describe('token buckets per key', () => {
  it('admits N requests within a minute and refuses the N+1st, saying when to retry', () => {
    const { buckets } = bucketsOnFakeClock({ perMinute: 60, burst: 60, maxKeys: 100 });
    assert.deepEqual(takeTimes(buckets, 'a', 60), Array(60).fill(true));
    assert.deepEqual(buckets.take('a'), { admitted: false, retryAfterSeconds: 1 });
  });

  it('Retry-After is the whole seconds until the next token', () => {
    const { buckets, advance } = bucketsOnFakeClock({ perMinute: 6, burst: 2, maxKeys: 100 });
    takeTimes(buckets, 'a', 2);
    assert.deepEqual(buckets.take('a'), { admitted: false, retryAfterSeconds: 10 });
    advance(2500);
    assert.deepEqual(buckets.take('a'), { admitted: false, retryAfterSeconds: 8 });
  });

  it('another key is unaffected by a key that used up its bucket', () => {
    const { buckets } = bucketsOnFakeClock({ perMinute: 60, burst: 3, maxKeys: 100 });
    takeTimes(buckets, 'a', 3);
    assert.equal(buckets.take('a').admitted, false);
    assert.deepEqual(takeTimes(buckets, 'b', 3), [true, true, true]);
  });

  it('a refused key works again after Retry-After, and has its whole burst again after the refill time', () => {
    const { buckets, advance } = bucketsOnFakeClock({ perMinute: 60, burst: 10, maxKeys: 100 });
    takeTimes(buckets, 'a', 10);
    const refused = buckets.take('a');
    assert.equal(refused.admitted, false);
    advance(refused.admitted ? 0 : refused.retryAfterSeconds * 1000 - 1);
    assert.equal(buckets.take('a').admitted, false, 'not before Retry-After');
    advance(1);
    assert.equal(buckets.take('a').admitted, true, 'at Retry-After');
    advance(10_000);
    assert.deepEqual(takeTimes(buckets, 'a', 11), [...Array(10).fill(true), false]);
  });

  it('refusals do not use tokens: a key that keeps asking is admitted as soon as a token is due', () => {
    const { buckets, advance } = bucketsOnFakeClock({ perMinute: 60, burst: 1, maxKeys: 100 });
    buckets.take('a');
    for (let i = 0; i < 9; i++) {
      advance(100);
      assert.equal(buckets.take('a').admitted, false);
    }
    advance(100);
    assert.equal(buckets.take('a').admitted, true);
  });

  it('keeps no more than maxKeys buckets however many distinct keys ask, dropping the least recently used', () => {
    const { buckets } = bucketsOnFakeClock({ perMinute: 60, burst: 2, maxKeys: 100 });
    takeTimes(buckets, 'busy', 2);
    for (let i = 0; i < 10_000; i++) {
      buckets.take(`key-${i}`);
      if (i % 50 === 0) assert.equal(buckets.take('busy').admitted, false, 'a key in use keeps its bucket');
      assert.ok(buckets.size <= 100, `${buckets.size} buckets after ${i + 1} keys`);
    }
    assert.equal(buckets.size, 100);
  });

  it('drops the buckets of keys idle long enough to have refilled', () => {
    const { buckets, advance } = bucketsOnFakeClock({ perMinute: 60, burst: 5, maxKeys: 10_000 });
    for (let i = 0; i < 500; i++) buckets.take(`key-${i}`);
    assert.equal(buckets.size, 500);
    advance(5000);
    buckets.take('late');
    assert.equal(buckets.size, 1);
  });
});
