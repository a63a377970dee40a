import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { untilAborted } from '../../activities/until-aborted';

async function* counting(n: number, ended: { value: boolean }) {
  try {
    for (let i = 0; i < n; i++) yield i;
  } finally {
    ended.value = true;
  }
}

/** A source whose second read never comes back, like a server that went quiet. */
const quietAfterOne: AsyncIterable<number> = {
  [Symbol.asyncIterator]: () => {
    let reads = 0;
    return { next: () => (reads++ === 0 ? Promise.resolve({ done: false, value: 1 }) : new Promise<IteratorResult<number>>(() => {})) };
  },
};

describe('a read loop that an abort can end', () => {
  it('passes every item on, and leaves no listener on the signal', async () => {
    const signal = new AbortController().signal;
    const seen: number[] = [];
    for await (const i of untilAborted(counting(1000, { value: false }), signal)) seen.push(i);
    assert.equal(seen.length, 1000);
    assert.equal(getEventListeners(signal, 'abort').length, 0);
  });

  it('ends at once with the abort\'s reason while a read is pending', async () => {
    const stall = new AbortController();
    const seen: number[] = [];
    const reading = (async () => {
      for await (const i of untilAborted(quietAfterOne, stall.signal)) seen.push(i);
    })();
    await new Promise((resolve) => setImmediate(resolve));
    const reason = new Error('stalled');
    stall.abort(reason);
    await assert.rejects(reading, (error) => error === reason);
    assert.deepEqual(seen, [1]);
  });

  it('lets the source clean up when the loop stops early', async () => {
    const ended = { value: false };
    for await (const i of untilAborted(counting(10, ended), new AbortController().signal)) if (i === 2) break;
    assert.equal(ended.value, true);
  });
});
