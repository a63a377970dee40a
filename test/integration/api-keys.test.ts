import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createDistrictWithKey } from '../support/fixtures';
import { startTestSystem, type TestSystem } from '../support/system';

const MANAGER_RIGHTS = ['imports.read', 'keys.manage'];
const inDays = (days: number) => new Date(Date.now() + days * 24 * 60 * 60 * 1000).toISOString();

describe('API keys: list, revoke, expiry', () => {
  let system: TestSystem;
  let districtA = '';
  let districtB = '';
  let managerA = '';
  let managerAId = '';
  let managerB = '';

  before(async () => {
    system = await startTestSystem();
    ({ districtId: districtA, key: managerA, keyId: managerAId } = await createDistrictWithKey(system, 'Keys A', 'UTC', MANAGER_RIGHTS));
    ({ districtId: districtB, key: managerB } = await createDistrictWithKey(system, 'Keys B', 'UTC', MANAGER_RIGHTS));
  });
  after(() => system?.stop());

  const issue = (body: Record<string, unknown>, key = managerA, district = districtA) =>
    system.call('POST', `/api/districts/${district}/keys`, { key, body: { name: 'k', rights: ['imports.read'], ...body } });
  const listKeys = async (key = managerA) => {
    const res = await system.call('GET', `/api/districts/${districtA}/keys`, { key });
    assert.equal(res.status, 200, res.text);
    return res.body as { id: string; name: string; lastUsedAt: string | null; expiresAt: string | null; revokedAt: string | null }[];
  };

  it('lists the district’s keys with their dates, never the key or its hash', async () => {
    const issued = await issue({ name: 'listed' });
    assert.equal(issued.status, 201, issued.text);
    const listed = (await listKeys()).find((k) => k.id === issued.body.id);
    assert.deepEqual(Object.keys(listed ?? {}).sort(), ['createdAt', 'expiresAt', 'id', 'lastUsedAt', 'name', 'revokedAt', 'rights']);
    const { rows } = await system.db.query<{ key_hash: string }>('select key_hash from api_keys where id = $1', [issued.body.id]);
    const text = JSON.stringify(await listKeys());
    assert.ok(!text.includes(issued.body.key), 'the key');
    assert.ok(!text.includes(rows[0]!.key_hash), 'its hash');
  });

  it('a revoked key answers 401 and stays listed as revoked', async () => {
    const issued = await issue({ name: 'to revoke' });
    assert.equal((await system.call('GET', '/api/imports', { key: issued.body.key })).status, 200);
    const revoked = await system.call('DELETE', `/api/districts/${districtA}/keys/${issued.body.id}`, { key: managerA });
    assert.equal(revoked.status, 204, revoked.text);
    const after = await system.call('GET', '/api/imports', { key: issued.body.key });
    assert.equal(after.status, 401);
    assert.equal(after.body.error.code, 'UNAUTHENTICATED');
    assert.ok((await listKeys()).find((k) => k.id === issued.body.id)?.revokedAt);
  });

  it('a key may revoke itself', async () => {
    const self = await issue({ name: 'self', rights: ['keys.manage'] });
    assert.equal((await system.call('DELETE', `/api/districts/${districtA}/keys/${self.body.id}`, { key: self.body.key })).status, 204);
    assert.equal((await system.call('GET', `/api/districts/${districtA}/keys`, { key: self.body.key })).status, 401);
  });

  it('an expired key answers 401', async () => {
    const issued = await issue({ name: 'expiring', expiresAt: inDays(1) });
    assert.equal(issued.status, 201, issued.text);
    assert.equal((await system.call('GET', '/api/imports', { key: issued.body.key })).status, 200);
    await system.db.query(`update api_keys set expires_at = now() - interval '1 second' where id = $1`, [issued.body.id]);
    const res = await system.call('GET', '/api/imports', { key: issued.body.key });
    assert.equal(res.status, 401);
    assert.equal(res.body.error.code, 'UNAUTHENTICATED');
  });

  it('expiresAt must be an instant in the future, at most a year ahead', async () => {
    for (const expiresAt of [inDays(-1), inDays(400), '2030-01-01', 'tomorrow']) {
      const res = await issue({ expiresAt });
      assert.equal(res.status, 422, `${expiresAt}: ${res.text}`);
      assert.ok(res.body.error.details.some((d: { field?: string }) => d.field === 'expiresAt'), res.text);
    }
    const when = inDays(30);
    const ok = await issue({ expiresAt: when });
    assert.equal(ok.status, 201, ok.text);
    assert.equal(new Date(ok.body.expiresAt).toISOString(), when);
  });

  it('a key that expires cannot issue a key that outlives it', async () => {
    const shortLived = await issue({ name: 'short', rights: ['keys.manage'], expiresAt: inDays(2) });
    const forever = await issue({ name: 'forever', rights: [] }, shortLived.body.key);
    assert.equal(forever.status, 422, forever.text);
    const later = await issue({ name: 'later', rights: [], expiresAt: inDays(3) }, shortLived.body.key);
    assert.equal(later.status, 422, later.text);
    assert.equal((await issue({ name: 'sooner', rights: [], expiresAt: inDays(1) }, shortLived.body.key)).status, 201);
  });

  it('records a use at most once a minute', async () => {
    const issued = await issue({ name: 'busy' });
    const lastUsed = async () => (await listKeys()).find((k) => k.id === issued.body.id)!.lastUsedAt;
    assert.equal(await lastUsed(), null);
    await system.call('GET', '/api/imports', { key: issued.body.key });
    const first = await lastUsed();
    assert.ok(first);
    await system.call('GET', '/api/imports', { key: issued.body.key });
    assert.equal(await lastUsed(), first, 'a second use within the minute writes nothing');
    await system.db.query(`update api_keys set last_used_at = now() - interval '2 minutes' where id = $1`, [issued.body.id]);
    await system.call('GET', '/api/imports', { key: issued.body.key });
    assert.ok(new Date((await lastUsed())!).getTime() > new Date(first).getTime(), 'a use after a minute is recorded');
  });

  it('403 without keys.manage', async () => {
    const reader = await issue({ name: 'reader' });
    assert.equal((await system.call('GET', `/api/districts/${districtA}/keys`, { key: reader.body.key })).status, 403);
    const res = await system.call('DELETE', `/api/districts/${districtA}/keys/${managerAId}`, { key: reader.body.key });
    assert.equal(res.status, 403);
    assert.equal(res.body.error.code, 'RIGHT_REQUIRED');
  });

  it('another district’s keys are not found, never forbidden', async () => {
    assert.equal((await system.call('GET', `/api/districts/${districtA}/keys`, { key: managerB })).status, 404);
    assert.equal((await system.call('DELETE', `/api/districts/${districtA}/keys/${managerAId}`, { key: managerB })).status, 404);
    assert.equal((await system.call('DELETE', `/api/districts/${districtB}/keys/${managerAId}`, { key: managerB })).status, 404, 'a key id of A under B');
    assert.equal((await system.call('GET', '/api/imports', { key: managerA })).status, 200, 'still valid');
  });

  it('the platform admin lists and revokes any district’s keys', async () => {
    const issued = await issue({ name: 'by admin' });
    assert.ok((await system.call('GET', `/api/districts/${districtA}/keys`)).body.some((k: { id: string }) => k.id === issued.body.id));
    assert.equal((await system.call('DELETE', `/api/districts/${districtA}/keys/${issued.body.id}`)).status, 204);
    assert.equal((await system.call('GET', '/api/imports', { key: issued.body.key })).status, 401);
  });
});
