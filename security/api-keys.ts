import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const RIGHTS = [
  'imports.read',
  'imports.write',
  'imports.run',
  'reports.read',
  'batch.submit',
  'batch.setPriority',
  'batch.setExpiration',
  'keys.manage',
] as const;
export type Right = (typeof RIGHTS)[number];

/** A new key: shown once; only its hash is stored. Keys are 256 random bits, so a plain SHA-256 suffices. */
export function generateApiKey(): { key: string; hash: string } {
  const key = `si_${randomBytes(32).toString('base64url')}`;
  return { key, hash: hashApiKey(key) };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function sameKey(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
}
