import { isIP } from 'node:net';
import { redactUrl } from './runtime/redact-url';
import { DEFAULT_MAX_RECORD_BYTES, DEFAULT_MAX_RECORD_FIELDS } from './domain/delimited';
import type { SecretsKeys } from './security/secrets';

/** What the worker needs (the API too), read from the environment once at start. */
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
  /** 32-byte AES-256-GCM keys that encrypt stored credentials: SECRETS_KEY, and SECRETS_KEY_PREVIOUS during a rotation. */
  secretsKeys: SecretsKeys;
  /** Rows applied per chunk transaction. */
  chunkSize: number;
  /** A row longer than this many bytes is a ROW_TOO_LONG row error; staging holds at most one such row in memory. */
  maxRowBytes: number;
  /** A row with more fields than this is a TOO_MANY_FIELDS row error. */
  maxRowFields: number;
  /** Loopback hosts (127.0.0.0/8, ::1, localhost) may be connection hosts: on for the start command and tests, off in production. */
  allowLoopbackSources: boolean;
  /** Caps per run: files, bytes (the first file is taken whatever its size) and rows; what is over waits for the next run. */
  runCaps: RunCaps;
  /** Days a finished batch submission's run and report are kept, unless kept until deleted. */
  batchRetentionDays: number;
  /** Seconds a run may stay queued or running before the run reaper compares it with its workflow. */
  runReaperGraceSeconds: number;
  /** Run e-mails: SMTP_URL and MAIL_FROM. Without an SMTP URL the worker writes each message to its log. */
  mail: MailSettings;
  /** WORKFLOW_BUNDLE: the workflow code bundled ahead (`worker/bundle-workflows.ts`, done by the Docker image); unset, the worker bundles it in a child process at start. */
  workflowBundlePath?: string;
}

export interface RunCaps {
  maxFiles: number;
  maxBytes: number;
  maxRows: number;
}

export interface MailSettings {
  /** `smtp://` (STARTTLS when the server offers it) or `smtps://`, with user and password in the URL if the server wants them. */
  smtpUrl?: string;
  /** The sender: `address` or `Name <address>`. */
  from: string;
}

/** The API's: the worker's settings plus the platform admin key, which only the API reads. */
export interface ApiConfig extends AppConfig {
  /** Platform admin bearer key. */
  adminApiKey: string;
  /** Requests a minute each API key (and the platform admin key) may make on average: the token bucket's refill. */
  rateLimitPerMinute: number;
  /** Requests a key may make at once before the per-minute rate applies: the token bucket's size. */
  rateLimitBurst: number;
  /** Runs of one district queued or running at once that the API will start; schedule-started runs are never refused. */
  maxConcurrentRunsPerDistrict: number;
  /** The admin web page's sessions: WEB_SESSION_IDLE_MINUTES unused, or WEB_SESSION_MAX_HOURS after sign-in, end them. */
  webSessions: WebSessionSettings;
}

export interface WebSessionSettings {
  idleMinutes: number;
  maxHours: number;
}

/** Where the API listens, besides the port (which each entry point defaults its own way). */
export interface ApiListenSettings {
  /** API_HOST; 127.0.0.1 unless set. */
  host: string;
  /** TLS_CERT_FILE and TLS_KEY_FILE (PEM paths): serve HTTPS. */
  tls?: { certFile: string; keyFile: string };
}

export const DEFAULT_TASK_QUEUE = 'scheduled-imports';
export const DEFAULT_CHUNK_SIZE = 10_000;
/** One chunk's rows are held in memory and locked in one transaction. */
export const MAX_CHUNK_SIZE = 100_000;
export const DEFAULT_MAX_ROW_BYTES = DEFAULT_MAX_RECORD_BYTES;
export const MAX_MAX_ROW_BYTES = 64 * 1024 * 1024;
export const DEFAULT_MAX_ROW_FIELDS = DEFAULT_MAX_RECORD_FIELDS;
export const MAX_MAX_ROW_FIELDS = 1_000_000;
export const DEFAULT_MAX_FILES_PER_RUN = 500;
export const DEFAULT_MAX_BYTES_PER_RUN = 2 * 1024 ** 3;
export const DEFAULT_MAX_ROWS_PER_RUN = 5_000_000;
/** Row counts are PostgreSQL integers (runs.rows_read). */
export const MAX_MAX_ROWS_PER_RUN = 2_000_000_000;
export const DEFAULT_API_HOST = '127.0.0.1';
export const DEFAULT_BATCH_RETENTION_DAYS = 7;
export const MAX_BATCH_RETENTION_DAYS = 3650;
/** Far longer than the moment between creating a run and starting its workflow. */
export const DEFAULT_RUN_REAPER_GRACE_SECONDS = 600;
export const MAX_RUN_REAPER_GRACE_SECONDS = 7 * 24 * 3600;
export const DEFAULT_MAIL_FROM = 'Scheduled Imports <scheduled-imports@localhost>';
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 600;
export const DEFAULT_RATE_LIMIT_BURST = 120;
export const MAX_RATE_LIMIT_PER_MINUTE = 60_000;
export const DEFAULT_MAX_CONCURRENT_RUNS_PER_DISTRICT = 4;
export const MAX_CONCURRENT_RUNS_PER_DISTRICT = 1000;
export const DEFAULT_WEB_SESSION_IDLE_MINUTES = 480;
export const DEFAULT_WEB_SESSION_MAX_HOURS = 24;
export const MAX_WEB_SESSION_HOURS = 24 * 30;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new ConfigError(`Environment variable ${name} is required.`);
  return value;
}

export function parseSecretsKey(text: string, name = 'SECRETS_KEY'): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) throw new ConfigError(`${name} must be 32 bytes, as 64 hex digits or base64.`);
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

/** A whole number from 1 to `max` (unset: `fallback`); anything else stops the process with a sentence naming the setting. */
export function positiveIntegerSetting(env: NodeJS.ProcessEnv, name: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  const text = (env[name] ?? '').trim();
  if (text === '') return fallback;
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(value >= 1 && value <= max)) throw new ConfigError(`${name} must be a whole number from 1 to ${max}, not "${env[name]}".`);
  return value;
}

/** Two settings that only make sense together (a certificate and its key): both, or neither. */
function pairedSetting(env: NodeJS.ProcessEnv, first: string, second: string): [string, string] | undefined {
  const a = env[first];
  const b = env[second];
  if (!a && !b) return undefined;
  if (!a || !b) throw new ConfigError(`${first} and ${second} must be set together: ${a ? second : first} is missing.`);
  return [a, b];
}

const MAIL_ADDRESS = /^[^\s@<>"]+@[^\s@<>"]+$/;

/**
 * SMTP_URL (`smtp://` or `smtps://` with a host) and MAIL_FROM (`address` or `Name <address>`); MAIL_FROM is
 * required with SMTP_URL, since a made-up sender is refused or filtered by real mail servers. Messages
 * never quote SMTP_URL's password.
 */
export function loadMailSettings(env: NodeJS.ProcessEnv): MailSettings {
  const url = (env.SMTP_URL ?? '').trim();
  const from = (env.MAIL_FROM ?? '').trim();
  if (from !== '') {
    const address = /<([^<>]*)>$/.exec(from)?.[1] ?? from;
    if (!MAIL_ADDRESS.test(address) || /[\r\n]/.test(from)) throw new ConfigError(`MAIL_FROM must be an e-mail address or "Name <address>", not "${from}".`);
  }
  if (url === '') return { from: from || DEFAULT_MAIL_FROM };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new ConfigError('SMTP_URL must be a URL such as smtp://mail.example.org:587 (it does not parse).', { cause: error });
  }
  if ((parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') || parsed.hostname === '') {
    throw new ConfigError(`SMTP_URL must be smtp://host[:port] or smtps://host[:port], not "${redactUrl(url)}".`);
  }
  if (from === '') throw new ConfigError('MAIL_FROM is required when SMTP_URL is set: the address run e-mails come from.');
  return { smtpUrl: url, from };
}

/** MAX_FILES_PER_RUN, MAX_BYTES_PER_RUN and MAX_ROWS_PER_RUN. */
export function loadRunCaps(env: NodeJS.ProcessEnv): RunCaps {
  return {
    maxFiles: positiveIntegerSetting(env, 'MAX_FILES_PER_RUN', DEFAULT_MAX_FILES_PER_RUN, 1_000_000),
    maxBytes: positiveIntegerSetting(env, 'MAX_BYTES_PER_RUN', DEFAULT_MAX_BYTES_PER_RUN),
    maxRows: positiveIntegerSetting(env, 'MAX_ROWS_PER_RUN', DEFAULT_MAX_ROWS_PER_RUN, MAX_MAX_ROWS_PER_RUN),
  };
}

/** Reads the worker's configuration; the start script fills in embedded defaults before calling this. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const temporalTls = pairedSetting(env, 'TEMPORAL_TLS_CERT', 'TEMPORAL_TLS_KEY');
  return {
    databaseUrl: required(env, 'DATABASE_URL'),
    temporal: {
      address: env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
      namespace: env.TEMPORAL_NAMESPACE ?? 'default',
      taskQueue: env.TEMPORAL_TASK_QUEUE ?? DEFAULT_TASK_QUEUE,
      tls: temporalTls ? { certPath: temporalTls[0], keyPath: temporalTls[1], serverNameOverride: env.TEMPORAL_TLS_SERVER_NAME } : undefined,
      apiKey: env.TEMPORAL_API_KEY,
    },
    secretsKeys: {
      current: parseSecretsKey(required(env, 'SECRETS_KEY')),
      previous: env.SECRETS_KEY_PREVIOUS ? parseSecretsKey(env.SECRETS_KEY_PREVIOUS, 'SECRETS_KEY_PREVIOUS') : undefined,
    },
    chunkSize: positiveIntegerSetting(env, 'CHUNK_SIZE', DEFAULT_CHUNK_SIZE, MAX_CHUNK_SIZE),
    maxRowBytes: positiveIntegerSetting(env, 'MAX_ROW_BYTES', DEFAULT_MAX_ROW_BYTES, MAX_MAX_ROW_BYTES),
    maxRowFields: positiveIntegerSetting(env, 'MAX_ROW_FIELDS', DEFAULT_MAX_ROW_FIELDS, MAX_MAX_ROW_FIELDS),
    allowLoopbackSources: booleanSetting(env, 'ALLOW_LOOPBACK_SOURCES'),
    runCaps: loadRunCaps(env),
    batchRetentionDays: positiveIntegerSetting(env, 'BATCH_RETENTION_DAYS', DEFAULT_BATCH_RETENTION_DAYS, MAX_BATCH_RETENTION_DAYS),
    runReaperGraceSeconds: positiveIntegerSetting(env, 'RUN_REAPER_GRACE_SECONDS', DEFAULT_RUN_REAPER_GRACE_SECONDS, MAX_RUN_REAPER_GRACE_SECONDS),
    mail: loadMailSettings(env),
    workflowBundlePath: env.WORKFLOW_BUNDLE?.trim() || undefined,
  };
}

/** Reads the API's configuration: the worker's plus ADMIN_API_KEY and the fair-use limits. */
export function loadApiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  return {
    ...loadConfig(env),
    adminApiKey: required(env, 'ADMIN_API_KEY'),
    rateLimitPerMinute: positiveIntegerSetting(env, 'RATE_LIMIT_PER_MINUTE', DEFAULT_RATE_LIMIT_PER_MINUTE, MAX_RATE_LIMIT_PER_MINUTE),
    rateLimitBurst: positiveIntegerSetting(env, 'RATE_LIMIT_BURST', DEFAULT_RATE_LIMIT_BURST, MAX_RATE_LIMIT_PER_MINUTE),
    maxConcurrentRunsPerDistrict: positiveIntegerSetting(env, 'MAX_CONCURRENT_RUNS_PER_DISTRICT', DEFAULT_MAX_CONCURRENT_RUNS_PER_DISTRICT, MAX_CONCURRENT_RUNS_PER_DISTRICT),
    webSessions: {
      idleMinutes: positiveIntegerSetting(env, 'WEB_SESSION_IDLE_MINUTES', DEFAULT_WEB_SESSION_IDLE_MINUTES, MAX_WEB_SESSION_HOURS * 60),
      maxHours: positiveIntegerSetting(env, 'WEB_SESSION_MAX_HOURS', DEFAULT_WEB_SESSION_MAX_HOURS, MAX_WEB_SESSION_HOURS),
    },
  };
}

/** API_HOST (or the deprecated HOST), default 127.0.0.1; TLS_CERT_FILE and TLS_KEY_FILE together, or neither. */
export function loadApiListenSettings(env: NodeJS.ProcessEnv = process.env): ApiListenSettings {
  const name = env.API_HOST ? 'API_HOST' : 'HOST';
  const host = (env[name] ?? '').trim() || DEFAULT_API_HOST;
  if (isIP(host) === 0 && !/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(host)) {
    throw new ConfigError(`${name} must be an IP address or a host name, not "${env[name]}".`);
  }
  const tls = pairedSetting(env, 'TLS_CERT_FILE', 'TLS_KEY_FILE');
  return { host, tls: tls ? { certFile: tls[0], keyFile: tls[1] } : undefined };
}

/** Sentences for settings still read under an old name, for the entry points to print. */
export function deprecatedSettings(env: NodeJS.ProcessEnv): string[] {
  return env.HOST && !env.API_HOST ? ['HOST is deprecated: set API_HOST instead (HOST is often set by shells to the machine name).'] : [];
}
