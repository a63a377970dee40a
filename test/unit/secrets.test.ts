import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { seal, unseal, SecretsError, type SecretsKeys } from '../../security/secrets';
import { resealSecrets, sealSecrets, unsealSecrets } from '../../security/connection-secrets';
import { sealV1 } from '../support/sealed-v1';
import { generateApiKey, hashApiKey, sameKey } from '../../security/api-keys';

describe('credentials at rest (AES-256-GCM)', () => {
  const key = randomBytes(32);
  const keys: SecretsKeys = { current: key };

  it('round-trips and never stores the plaintext', () => {
    const sealed = seal(key, 'Correct-Horse-7', 'import:1');
    assert.equal(sealed.includes(Buffer.from('Correct-Horse-7')), false);
    assert.equal(unseal(keys, sealed, 'import:1'), 'Correct-Horse-7');
  });

  it('uses a fresh IV each time', () => {
    assert.notDeepEqual(seal(key, 'x', 'c'), seal(key, 'x', 'c'));
  });

  it('names the key it sealed with by the first bytes of its SHA-256, not the key', () => {
    const sealed = seal(key, 'x', 'c');
    assert.equal(sealed[0], 2);
    assert.deepEqual(sealed.subarray(1, 9), createHash('sha256').update(key).digest().subarray(0, 8));
    assert.equal(sealed.includes(key.subarray(0, 8)), false);
  });

  it('opens a value sealed under SECRETS_KEY_PREVIOUS, picked by its key id', () => {
    const previous = randomBytes(32);
    const sealed = seal(previous, 'old secret', 'import:1');
    assert.equal(unseal({ current: randomBytes(32), previous }, sealed, 'import:1'), 'old secret');
  });

  it('refuses a value sealed under neither key, saying so', () => {
    const sealed = seal(randomBytes(32), 'secret', 'import:1');
    assert.throws(() => unseal({ current: key, previous: randomBytes(32) }, sealed, 'import:1'), {
      name: 'SecretsError',
      message: 'Stored credentials cannot be decrypted: they were saved with a key that is neither SECRETS_KEY nor SECRETS_KEY_PREVIOUS.',
    });
  });

  it('refuses a value moved to another record, or with a changed tag or byte, as altered', () => {
    const sealed = seal(key, 'secret', 'import:1');
    const altered = { name: 'SecretsError', message: /was altered or belongs to another record/ };
    assert.throws(() => unseal(keys, sealed, 'import:2'), altered);
    const tag = Buffer.from(sealed);
    tag[1 + 8 + 12]! ^= 1;
    assert.throws(() => unseal(keys, tag, 'import:1'), altered);
    const body = Buffer.from(sealed);
    body[body.length - 1]! ^= 1;
    assert.throws(() => unseal(keys, body, 'import:1'), altered);
  });

  it('still opens version-1 values (no key id), under the current key or, during a rotation, the previous one', () => {
    assert.equal(unseal(keys, sealV1(key, 'v1 secret', 'import:1'), 'import:1'), 'v1 secret');
    const previous = randomBytes(32);
    assert.equal(unseal({ current: key, previous }, sealV1(previous, 'v1 secret', 'import:1'), 'import:1'), 'v1 secret');
    assert.throws(() => unseal(keys, sealV1(previous, 'v1 secret', 'import:1'), 'import:1'), SecretsError);
  });

  it('refuses a tag shorter than 16 bytes, even one GCM would verify', () => {
    for (const version of [1, 2]) {
      const header = version === 2 ? Buffer.concat([Buffer.from([2]), createHash('sha256').update(key).digest().subarray(0, 8)]) : Buffer.from([1]);
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 4 });
      cipher.setAAD(version === 2 ? Buffer.concat([header, Buffer.from('import:1')]) : Buffer.from('import:1'));
      cipher.final();
      const shortTag = Buffer.concat([header, iv, cipher.getAuthTag()]);
      assert.throws(() => unseal(keys, shortTag, 'import:1'), { name: 'SecretsError', message: /truncated/ }, `version ${version}`);
    }
  });

  it('refuses an unknown format', () => {
    const sealed = seal(key, 'x', 'c');
    sealed[0] = 9;
    assert.throws(() => unseal(keys, sealed, 'c'), { name: 'SecretsError', message: 'Unknown sealed-secret format.' });
  });

  it('seals only the secrets that are set and says which', () => {
    const { sealed, fields } = sealSecrets(keys, 'imp', { password: 'pw', privateKey: undefined });
    assert.deepEqual(fields, ['password']);
    assert.deepEqual(unsealSecrets(keys, 'imp', sealed), { password: 'pw' });
    assert.deepEqual(sealSecrets(keys, 'imp', {}), { sealed: null, fields: [] });
  });

  it('seals new values under the current key, never the previous one', () => {
    const previous = randomBytes(32);
    const { sealed } = sealSecrets({ current: key, previous }, 'imp', { password: 'pw' });
    assert.deepEqual(unsealSecrets({ current: key }, 'imp', sealed), { password: 'pw' });
  });

  it('re-seals a value from the previous key under the current one', () => {
    const previous = randomBytes(32);
    const old = sealSecrets({ current: previous }, 'imp', { password: 'pw' }).sealed!;
    const resealed = resealSecrets({ current: key, previous }, 'imp', old);
    assert.deepEqual(unsealSecrets({ current: key }, 'imp', resealed), { password: 'pw' });
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
