import { createHash } from 'node:crypto';

/** A server host key as Test Connection reports it. */
export interface SeenHostKey {
  /** `SHA256:<base64 without padding>`, the same text `ssh-keygen -lf` prints. */
  fingerprint: string;
  /** The algorithm name at the start of the key blob, e.g. `ssh-ed25519`, `ssh-rsa`. */
  keyType: string | undefined;
}

export function describeHostKey(rawKey: Buffer): SeenHostKey {
  return { fingerprint: hostKeyFingerprint(rawKey), keyType: hostKeyType(rawKey) };
}

export function hostKeyFingerprint(rawKey: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(rawKey).digest('base64').replace(/=+$/, '');
}

/** The blob (RFC 4253 §6.6) starts with the key type as a uint32-length-prefixed string. */
export function hostKeyType(rawKey: Buffer): string | undefined {
  if (rawKey.length < 4) return undefined;
  const length = rawKey.readUInt32BE(0);
  if (length === 0 || length > 64 || rawKey.length < 4 + length) return undefined;
  return rawKey.toString('latin1', 4, 4 + length);
}

/**
 * The host key algorithms to offer so that a key of `keyType` gets negotiated.
 * An RSA key is named `ssh-rsa` in its blob but is signed with rsa-sha2-* (OpenSSH ≥ 8.8 refuses SHA-1 `ssh-rsa`).
 */
export function hostKeyAlgorithmsFor(keyType: string): string[] {
  return keyType === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [keyType];
}

/** Compares fingerprints, tolerating the `=` padding some tools print. */
export function sameFingerprint(pinned: string, seen: string): boolean {
  const normalize = (fingerprint: string) => fingerprint.trim().replace(/=+$/, '');
  return normalize(pinned) === normalize(seen);
}
