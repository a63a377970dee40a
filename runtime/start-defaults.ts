import { ConfigError } from '../config';
import { generateHexKey, generateToken, loadOrCreateSecret } from './data-dir';

/**
 * Fills SECRETS_KEY and ADMIN_API_KEY from files in the data dir (created on first
 * start), unless the environment sets them. Returns what it filled in.
 */
export async function fillSecretDefaults(env: NodeJS.ProcessEnv, dataDir: string): Promise<{ adminKeyFile?: string; secretsKeyFile?: string }> {
  const filled: { adminKeyFile?: string; secretsKeyFile?: string } = {};
  if (!env.SECRETS_KEY) {
    env.SECRETS_KEY = await loadOrCreateSecret(dataDir, 'secrets-key', generateHexKey);
    filled.secretsKeyFile = 'secrets-key';
  }
  if (!env.ADMIN_API_KEY) {
    env.ADMIN_API_KEY = await loadOrCreateSecret(dataDir, 'admin-api-key', () => `admin_${generateToken(24)}`);
    filled.adminKeyFile = 'admin-api-key';
  }
  return filled;
}

/** A port number from the environment, or undefined when unset; a clear error when malformed. */
export function portFromEnv(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const text = env[name];
  if (text === undefined || text === '') return undefined;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new ConfigError(`${name} must be a port number (0-65535), not "${text}".`);
  return port;
}
