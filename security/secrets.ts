import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** version(1) | iv(12) | tag(16) | ciphertext; AAD = context. Still opened, never written. */
const V1 = 1;
/** version(1) | key id(8) | iv(12) | tag(16) | ciphertext; AAD = version | key id | context. */
const V2 = 2;
const KEY_ID_BYTES = 8;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export const NO_MATCHING_KEY =
  'Stored credentials cannot be decrypted: they were saved with a key that is neither SECRETS_KEY nor SECRETS_KEY_PREVIOUS.';

/** The keys credentials are sealed with: new values always under `current`. */
export interface SecretsKeys {
  /** SECRETS_KEY. */
  current: Buffer;
  /** SECRETS_KEY_PREVIOUS, during a rotation: what it sealed still opens. */
  previous?: Buffer;
}

export class SecretsError extends Error {
  override readonly name = 'SecretsError';
}

/** Names a key without revealing it: the first 8 bytes of its SHA-256. */
export function keyIdOf(key: Buffer): Buffer {
  return createHash('sha256').update(key).digest().subarray(0, KEY_ID_BYTES);
}

/**
 * AES-256-GCM under `key`, recording the key's id so that the right key opens it after a rotation.
 * `context` (e.g. `import:<id>`) is authenticated, so a sealed value cannot be moved to another row.
 */
export function seal(key: Buffer, plaintext: string, context: string): Buffer {
  const header = Buffer.concat([Buffer.from([V2]), keyIdOf(key)]);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.concat([header, Buffer.from(context)]));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([header, iv, cipher.getAuthTag(), body]);
}

/** Opens a value sealed under `keys.current` or `keys.previous`, in either format. */
export function unseal(keys: SecretsKeys, sealed: Buffer, context: string): string {
  if (sealed[0] === V2) return unsealV2(keys, sealed, context);
  if (sealed[0] === V1) return unsealV1(keys, sealed, context);
  throw new SecretsError('Unknown sealed-secret format.');
}

function unsealV2(keys: SecretsKeys, sealed: Buffer, context: string): string {
  const headerBytes = 1 + KEY_ID_BYTES;
  requireLength(sealed, headerBytes);
  const header = sealed.subarray(0, headerBytes);
  const keyId = sealed.subarray(1, headerBytes);
  const key = candidateKeys(keys).find((k) => keyIdOf(k).equals(keyId));
  if (!key) throw new SecretsError(NO_MATCHING_KEY);
  try {
    return open(key, sealed.subarray(headerBytes), Buffer.concat([header, Buffer.from(context)]));
  } catch (error) {
    throw new SecretsError('Stored credentials cannot be decrypted: the stored value was altered or belongs to another record.', { cause: error });
  }
}

/** Version 1 names no key, so each key is tried; GCM's tag tells the right one. */
function unsealV1(keys: SecretsKeys, sealed: Buffer, context: string): string {
  requireLength(sealed, 1);
  let failure: unknown;
  for (const key of candidateKeys(keys)) {
    try {
      return open(key, sealed.subarray(1), Buffer.from(context));
    } catch (error) {
      failure = error;
    }
  }
  throw new SecretsError(NO_MATCHING_KEY, { cause: failure });
}

function candidateKeys(keys: SecretsKeys): Buffer[] {
  return keys.previous ? [keys.current, keys.previous] : [keys.current];
}

/** A value cut short would otherwise hand GCM a shorter tag, which is easier to forge. */
function requireLength(sealed: Buffer, headerBytes: number): void {
  if (sealed.length < headerBytes + IV_BYTES + TAG_BYTES) throw new SecretsError('Stored credentials cannot be decrypted: the stored value is truncated.');
}

/** iv | tag | ciphertext under `key`; throws when the tag does not verify. */
function open(key: Buffer, payload: Buffer, aad: Buffer): string {
  const iv = payload.subarray(0, IV_BYTES);
  const tag = payload.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
  const body = payload.subarray(IV_BYTES + TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
}
