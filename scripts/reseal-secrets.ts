/**
 * `npm run reseal-secrets`: after a key rotation (SECRETS_KEY new, SECRETS_KEY_PREVIOUS the
 * old one), re-seals every stored credential under SECRETS_KEY in one transaction, so that
 * SECRETS_KEY_PREVIOUS can be dropped. Prints counts only, never values.
 */
import { loadConfig } from '../config';
import { createPool } from '../db/pool';
import { resealAllSecrets } from '../db/reseal-secrets';
import { describeError } from '../runtime/describe-error';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const db = createPool(config.databaseUrl, 1);
  try {
    const count = await resealAllSecrets(db, config.secretsKeys);
    console.log(`Re-sealed the stored credentials of ${count} import(s) under SECRETS_KEY. SECRETS_KEY_PREVIOUS is no longer needed.`);
  } finally {
    await db.end();
  }
}

main().catch((error: unknown) => {
  console.error(`Re-sealing the stored credentials failed: ${describeError(error)}`);
  process.exit(1);
});
