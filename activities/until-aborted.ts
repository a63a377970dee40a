/**
 * The items of `source` until `signal` aborts, which ends the iteration with its reason at once, even while a read is
 * pending (a stream's own destroy would wait for that read; the source's session is closed after, failing it). Each
 * wait has its own abort listener, removed after it: a race against one long-lived promise would keep every item.
 */
export async function* untilAborted<T>(source: AsyncIterable<T>, signal: AbortSignal): AsyncGenerator<T> {
  const items = source[Symbol.asyncIterator]();
  try {
    for (;;) {
      signal.throwIfAborted();
      const next = items.next();
      next.catch(() => undefined);
      let onAbort!: () => void;
      const aborted = new Promise<never>((_, reject) => (onAbort = () => reject(signal.reason)));
      signal.addEventListener('abort', onAbort, { once: true });
      let item: IteratorResult<T>;
      try {
        item = await Promise.race([next, aborted]);
      } finally {
        signal.removeEventListener('abort', onAbort);
      }
      if (item.done) return;
      yield item.value;
    }
  } finally {
    // ended early (the consumer stopped, or the abort): let the source clean up, without waiting on a pending read
    void items.return?.()?.catch(() => undefined);
  }
}
