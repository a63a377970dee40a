import type { MiddlewareHandler } from 'hono';
import type { Principal } from './auth';
import { ApiError } from './errors';
import type { AppEnv } from './env';
import { TokenBuckets } from './token-buckets';

/** Keys with a bucket at most: more than any deployment has keys busy at once. */
export const MAX_RATE_LIMITED_KEYS = 10_000;

const bucketOf = (principal: Principal) => (principal.kind === 'platform' ? 'platform' : `key:${principal.keyId}`);

/**
 * 429 RATE_LIMITED with Retry-After once a key has used its burst and its per-minute rate. Placed after
 * authentication: only known keys are counted, so random keys cannot fill the memory. The buckets are
 * made on the first request, from the settings the app was given.
 */
export function requestRateLimit(options: { now?: () => number; maxKeys?: number } = {}): MiddlewareHandler<AppEnv> {
  let buckets: TokenBuckets | undefined;
  return async (c, next) => {
    const { rateLimitPerMinute: perMinute, rateLimitBurst: burst } = c.var.deps.config;
    buckets ??= new TokenBuckets({ perMinute, burst, maxKeys: options.maxKeys ?? MAX_RATE_LIMITED_KEYS, now: options.now });
    const admission = buckets.take(bucketOf(c.var.principal));
    if (!admission.admitted) {
      const { retryAfterSeconds } = admission;
      throw new ApiError(
        429,
        'RATE_LIMITED',
        `This API key has sent more than its ${perMinute} requests a minute (${burst} at once); try again in ${retryAfterSeconds} s.`,
        [{ message: 'request rate', limit: 'requestsPerMinute', perMinute, burst }],
        { retryAfterSeconds },
      );
    }
    await next();
  };
}
