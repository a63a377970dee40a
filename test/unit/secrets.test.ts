import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { seal, unseal, SecretsError } from '../../security/secrets';
import { sealSecrets, unsealSecrets } from '../../security/connection-secrets';
import { generateApiKey, hashApiKey, sameKey } from '../../security/api-keys';

describe('credentials at rest (AES-256-GCM)', () => {
  const key = randomBytes(32);

  it('round-trips and never stores the plaintext', () => {
    const sealed = seal(key, 'Correct-Horse-7', 'import:1');
    assert.equal(sealed.includes(Buffer.from('Correct-Horse-7')), false);
    assert.equal(unseal(key, sealed, 'import:1'), 'Correct-Horse-7');
  });

  it('uses a fresh IV each time', () => {
    assert.notDeepEqual(seal(key, 'x', 'c'), seal(key, 'x', 'c'));
  });

  it('refuses another key, another import, or a changed byte', () => {
    const sealed = seal(key, 'secret', 'import:1');
    assert.throws(() => unseal(randomBytes(32), sealed, 'import:1'), SecretsError);
    assert.throws(() => unseal(key, sealed, 'import:2'), SecretsError);
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1]! ^= 1;
    assert.throws(() => unseal(key, tampered, 'import:1'), SecretsError);
  });

  it('seals only the secrets that are set and says which', () => {
    const { sealed, fields } = sealSecrets(key, 'imp', { password: 'pw', privateKey: undefined });
    assert.deepEqual(fields, ['password']);
    assert.deepEqual(unsealSecrets(key, 'imp', sealed), { password: 'pw' });
    assert.deepEqual(sealSecrets(key, 'imp', {}), { sealed: null, fields: [] });
  });
});

describe('API keys', () => {
  it('are random, prefixed, and stored only as a hash', () => {
    const a = generateApiKey();
    const b = generateApiKey();
    assert.match(a.key, /^si_[A-Za-z0-9_-]{43}$/);
    assert.notEqual(a.key, b.key);
    assert.equal(a.hash, hashApiKey(a.key));
    assert.equal(a.hash.includes(a.key), false);
    assert.ok(sameKey(a.key, a.key));
    assert.ok(!sameKey(a.key, b.key));
  });
});
