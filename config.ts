/** Everything the worker and the API need, read from the environment once at start. */
export interface AppConfig {
  databaseUrl: string;
  temporal: {
    address: string;
    namespace: string;
    taskQueue: string;
    /** Temporal Cloud / mTLS cluster: PEM paths; absent for the dev server. */
    tls?: { certPath: string; keyPath: string; serverNameOverride?: string };
    apiKey?: string;
  };
  /** 32-byte AES-256-GCM key that encrypts stored credentials. */
  secretsKey: Buffer;
  /** Platform admin bearer key. */
  adminApiKey: string;
  /** Rows applied per chunk transaction. */
  chunkSize: number;
  /** Loopback hosts (127.0.0.0/8, ::1, localhost) may be connection hosts: on for the start command and tests, off in production. */
  allowLoopbackSources: boolean;
}

export const DEFAULT_TASK_QUEUE = 'scheduled-imports';
export const DEFAULT_CHUNK_SIZE = 2000;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new ConfigError(`Environment variable ${name} is required.`);
  return value;
}

export function parseSecretsKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) throw new ConfigError('SECRETS_KEY must be 32 bytes, as 64 hex digits or base64.');
  return key;
}

/** `true`/`1`/`yes` or `false`/`0`/`no` (unset: false); anything else stops the process with a sentence naming the setting. */
export function booleanSetting(env: NodeJS.ProcessEnv, name: string): boolean {
  const text = (env[name] ?? '').trim().toLowerCase();
  if (text === '') return false;
  if (['true', '1', 'yes', 'on'].includes(text)) return true;
  if (['false', '0', 'no', 'off'].includes(text)) return false;
  throw new ConfigError(`${name} must be true or false, not "${env[name]}".`);
}

/** Reads the production configuration; the start script fills in embedded defaults before calling this. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const tlsCert = env.TEMPORAL_TLS_CERT;
  const tlsKey = env.TEMPORAL_TLS_KEY;
  return {
    databaseUrl: required(env, 'DATABASE_URL'),
    temporal: {
      address: env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
      namespace: env.TEMPORAL_NAMESPACE ?? 'default',
      taskQueue: env.TEMPORAL_TASK_QUEUE ?? DEFAULT_TASK_QUEUE,
      tls: tlsCert && tlsKey ? { certPath: tlsCert, keyPath: tlsKey, serverNameOverride: env.TEMPORAL_TLS_SERVER_NAME } : undefined,
      apiKey: env.TEMPORAL_API_KEY,
    },
    secretsKey: parseSecretsKey(required(env, 'SECRETS_KEY')),
    adminApiKey: required(env, 'ADMIN_API_KEY'),
    chunkSize: env.CHUNK_SIZE ? Number(env.CHUNK_SIZE) : DEFAULT_CHUNK_SIZE,
    allowLoopbackSources: booleanSetting(env, 'ALLOW_LOOPBACK_SOURCES'),
  };
}
