import type { ConnectionSecrets } from '../domain/connection';
import { seal, unseal, type SecretsKeys } from './secrets';

export const SECRET_FIELDS = ['password', 'privateKey', 'passphrase'] as const;

/** The context an import's credentials are bound to: a sealed value opens only on its own row. */
export function importSecretsContext(importId: string): string {
  return `import:${importId}`;
}

/** Seals an import's credentials under the current key, bound to its id; `fields` records which are set, for `passwordSet` and the like. */
export function sealSecrets(keys: SecretsKeys, importId: string, secrets: ConnectionSecrets): { sealed: Buffer | null; fields: string[] } {
  const fields = SECRET_FIELDS.filter((k) => secrets[k]);
  if (fields.length === 0) return { sealed: null, fields: [] };
  return { sealed: seal(keys.current, JSON.stringify(secrets), importSecretsContext(importId)), fields };
}

export function unsealSecrets(keys: SecretsKeys, importId: string, sealed: Buffer | null): ConnectionSecrets {
  if (!sealed) return {};
  return JSON.parse(unseal(keys, sealed, importSecretsContext(importId))) as ConnectionSecrets;
}

/** The same credentials sealed afresh under the current key (after a rotation). */
export function resealSecrets(keys: SecretsKeys, importId: string, sealed: Buffer): Buffer {
  const context = importSecretsContext(importId);
  return seal(keys.current, unseal(keys, sealed, context), context);
}
