import type { ConnectionSecrets } from '../domain/connection';
import { seal, unseal } from './secrets';

export const SECRET_FIELDS = ['password', 'privateKey', 'passphrase'] as const;

/** Seals an import's credentials bound to its id; `fields` records which are set, for `passwordSet` and the like. */
export function sealSecrets(key: Buffer, importId: string, secrets: ConnectionSecrets): { sealed: Buffer | null; fields: string[] } {
  const fields = SECRET_FIELDS.filter((k) => secrets[k]);
  if (fields.length === 0) return { sealed: null, fields: [] };
  return { sealed: seal(key, JSON.stringify(secrets), `import:${importId}`), fields };
}

export function unsealSecrets(key: Buffer, importId: string, sealed: Buffer | null): ConnectionSecrets {
  if (!sealed) return {};
  return JSON.parse(unseal(key, sealed, `import:${importId}`)) as ConnectionSecrets;
}
