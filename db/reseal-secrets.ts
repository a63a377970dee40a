import { resealSecrets } from '../security/connection-secrets';
import type { SecretsKeys } from '../security/secrets';
import { withTransaction, type Db } from './pool';
import { lockAllSealedSecrets, setSealedSecrets } from './queries/import-secrets';

export class ResealError extends Error {
  override readonly name = 'ResealError';
}

/**
 * Re-seals every import's stored credentials under `keys.current`, in one transaction: if one
 * cannot be opened, nothing changes. Returns how many were re-sealed.
 */
export async function resealAllSecrets(db: Db, keys: SecretsKeys): Promise<number> {
  return withTransaction(db, async (tx) => {
    const stored = await lockAllSealedSecrets(tx);
    for (const { id, sealed } of stored) {
      let resealed: Buffer;
      try {
        resealed = resealSecrets(keys, id, sealed);
      } catch (error) {
        throw new ResealError(`The stored credentials of import ${id} could not be re-sealed; nothing was changed.`, { cause: error });
      }
      await setSealedSecrets(tx, id, resealed);
    }
    return stored.length;
  });
}
