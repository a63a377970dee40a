import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Hono } from 'hono';
import type { Principal } from '../../api/auth';
import type { ApiDeps, AppEnv } from '../../api/env';
import { ApiError, errorResponse } from '../../api/errors';
import { requestRateLimit } from '../../api/rate-limit';

/** The middleware alone, after a stand-in for authentication that trusts the X-Test-Key header. */
function appOnFakeClock(limits: { rateLimitPerMinute: number; rateLimitBurst: number }) {
  const clock = { ms: Date.UTC(2026, 0, 5, 9) };
  const app = new Hono<AppEnv>();
  app.use('*', async (c, next) => {
    c.set('deps', { config: limits } as unknown as ApiDeps);
    const key = c.req.header('x-test-key') ?? 'platform';
    const principal: Principal = key === 'platform' ? { kind: 'platform' } : { kind: 'district', districtId: 'd', rights: [], keyId: key, expiresAt: null };
    c.set('principal', principal);
    await next();
  });
  app.use('*', requestRateLimit({ now: () => clock.ms }));
  app.get('/thing', (c) => c.json({ ok: true }));
  app.onError((error, c) => (error instanceof ApiError ? errorResponse(c, error) : c.text('unexpected', 500)));
  const get = (key?: string) => app.request('/thing', { headers: key ? { 'x-test-key': key } : {} });
  return { get, advance: (ms: number) => void (clock.ms += ms) };
}

describe('request rate limit middleware', () => {
  it('answers the request past the limit 429 RATE_LIMITED in the one error shape, with Retry-After in seconds', async () => {
    const { get } = appOnFakeClock({ rateLimitPerMinute: 30, rateLimitBurst: 2 });
    assert.deepEqual([(await get('k1')).status, (await get('k1')).status], [200, 200]);
    const refused = await get('k1');
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get('retry-after'), '2');
    const body = (await refused.json()) as { error: { code: string; message: string; details: unknown[] } };
    assert.equal(body.error.code, 'RATE_LIMITED');
    assert.match(body.error.message, /30 requests a minute/);
    assert.deepEqual(body.error.details, [{ message: 'request rate', limit: 'requestsPerMinute', perMinute: 30, burst: 2 }]);
  });

  it('counts each district key and the platform admin key on their own', async () => {
    const { get } = appOnFakeClock({ rateLimitPerMinute: 60, rateLimitBurst: 1 });
    assert.equal((await get('k1')).status, 200);
    assert.equal((await get('k1')).status, 429);
    assert.equal((await get('k2')).status, 200);
    assert.equal((await get()).status, 200, 'the platform admin key');
    assert.equal((await get()).status, 429);
  });

  it('lets the key through again once Retry-After has passed', async () => {
    const { get, advance } = appOnFakeClock({ rateLimitPerMinute: 60, rateLimitBurst: 1 });
    await get('k1');
    const refused = await get('k1');
    advance(Number(refused.headers.get('retry-after')) * 1000);
    assert.equal((await get('k1')).status, 200);
  });
});
