export interface TokenBucketSettings {
  /** Tokens added a minute: the average rate allowed. */
  perMinute: number;
  /** Tokens a bucket holds: how many requests may come at once. */
  burst: number;
  /** Buckets kept at most; beyond that the least recently used is dropped. */
  maxKeys: number;
  /** Milliseconds since the epoch; a test passes a fake clock. */
  now?: () => number;
}

export type Admission = { admitted: true } | { admitted: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  at: number;
}

const MINUTE_MS = 60_000;
// the refill is a float: a token due at exactly Retry-After must not fall short by rounding
const ROUNDING = 1e-9;

/**
 * One token bucket per key, in this process's memory. A key with no bucket starts full, so a bucket
 * that has refilled is the same as none: idle buckets are swept (at most once a refill time), and a
 * full map drops its least recently used bucket, which at worst lets that key burst once more.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;
  private readonly now: () => number;
  private lastSweep: number;

  constructor(private readonly settings: TokenBucketSettings) {
    this.perMs = settings.perMinute / MINUTE_MS;
    this.now = settings.now ?? Date.now;
    this.lastSweep = this.now();
  }

  /** Takes a token from the key's bucket, or says in how many whole seconds one will be there. */
  take(key: string): Admission {
    const now = this.now();
    this.sweepIdle(now);
    const tokens = this.tokensAt(this.buckets.get(key), now);
    // re-inserted, so the map's order is least recently used first
    this.buckets.delete(key);
    if (tokens >= 1 - ROUNDING) {
      this.keep(key, { tokens: Math.max(0, tokens - 1), at: now });
      return { admitted: true };
    }
    this.keep(key, { tokens, at: now });
    return { admitted: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / this.perMs / 1000 - ROUNDING)) };
  }

  /** How many keys have a bucket. */
  get size(): number {
    return this.buckets.size;
  }

  private tokensAt(bucket: Bucket | undefined, now: number): number {
    if (!bucket) return this.settings.burst;
    return Math.min(this.settings.burst, bucket.tokens + Math.max(0, now - bucket.at) * this.perMs);
  }

  private keep(key: string, bucket: Bucket): void {
    while (this.buckets.size >= this.settings.maxKeys) {
      const oldest = this.buckets.keys().next().value;
      if (oldest === undefined) break;
      this.buckets.delete(oldest);
    }
    this.buckets.set(key, bucket);
  }

  /** Drops the buckets that have refilled since last used: a full bucket is the same as none. */
  private sweepIdle(now: number): void {
    const refillMs = this.settings.burst / this.perMs;
    if (now - this.lastSweep < refillMs) return;
    this.lastSweep = now;
    for (const [key, bucket] of this.buckets) {
      if (this.tokensAt(bucket, now) >= this.settings.burst) this.buckets.delete(key);
    }
  }
}
