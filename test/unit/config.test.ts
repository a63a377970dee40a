import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { ConfigError, DEFAULT_BATCH_RETENTION_DAYS, DEFAULT_CHUNK_SIZE, DEFAULT_MAIL_FROM, DEFAULT_MAX_ROW_BYTES, DEFAULT_MAX_ROW_FIELDS, deprecatedSettings, loadApiConfig, loadApiListenSettings, loadConfig } from '../../config';
import { findFreePort } from '../../runtime/free-port';

const KEY = randomBytes(32);
const WORKER_ENV: NodeJS.ProcessEnv = { DATABASE_URL: 'postgres://u:p@db:5432/x', SECRETS_KEY: KEY.toString('hex') };

const refused = (setting: string) => (error: unknown) => error instanceof ConfigError && error.message.startsWith(setting);

describe('loadConfig', () => {
  it('needs no ADMIN_API_KEY: the worker does not read it', () => {
    const config = loadConfig(WORKER_ENV);
    assert.equal('adminApiKey' in config, false);
    assert.deepEqual(config.secretsKeys, { current: KEY, previous: undefined });
  });

  it('CHUNK_SIZE is a whole number from 1 to 100000, default 10000', () => {
    assert.equal(loadConfig(WORKER_ENV).chunkSize, DEFAULT_CHUNK_SIZE);
    assert.equal(loadConfig({ ...WORKER_ENV, CHUNK_SIZE: '' }).chunkSize, DEFAULT_CHUNK_SIZE);
    assert.equal(loadConfig({ ...WORKER_ENV, CHUNK_SIZE: ' 500 ' }).chunkSize, 500);
    assert.equal(loadConfig({ ...WORKER_ENV, CHUNK_SIZE: '100000' }).chunkSize, 100_000);
  });

  for (const bad of ['abc', '0', '-5', '1.5', '2e3', '0x10', '100001', '9'.repeat(20)]) {
    it(`stops on CHUNK_SIZE "${bad}" with a sentence naming it`, () => {
      assert.throws(() => loadConfig({ ...WORKER_ENV, CHUNK_SIZE: bad }), (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(error.message, `CHUNK_SIZE must be a whole number from 1 to 100000, not "${bad}".`);
        return true;
      });
    });
  }

  it('MAX_ROW_BYTES and MAX_ROW_FIELDS are whole numbers, default 1 MiB and 10,000', () => {
    assert.equal(DEFAULT_MAX_ROW_BYTES, 1_048_576);
    assert.equal(DEFAULT_MAX_ROW_FIELDS, 10_000);
    assert.equal(loadConfig(WORKER_ENV).maxRowBytes, DEFAULT_MAX_ROW_BYTES);
    assert.equal(loadConfig(WORKER_ENV).maxRowFields, DEFAULT_MAX_ROW_FIELDS);
    assert.equal(loadConfig({ ...WORKER_ENV, MAX_ROW_BYTES: '4096' }).maxRowBytes, 4096);
    assert.equal(loadConfig({ ...WORKER_ENV, MAX_ROW_FIELDS: '50' }).maxRowFields, 50);
    assert.throws(() => loadConfig({ ...WORKER_ENV, MAX_ROW_BYTES: '1mb' }), refused('MAX_ROW_BYTES must be a whole number from 1 to 67108864, not "1mb".'));
    assert.throws(() => loadConfig({ ...WORKER_ENV, MAX_ROW_FIELDS: '0' }), refused('MAX_ROW_FIELDS must be a whole number from 1 to 1000000, not "0".'));
  });

  it('RUN_REAPER_GRACE_SECONDS is a whole number from 1 to 604800, default 600', () => {
    assert.equal(loadConfig(WORKER_ENV).runReaperGraceSeconds, 600);
    assert.equal(loadConfig({ ...WORKER_ENV, RUN_REAPER_GRACE_SECONDS: '60' }).runReaperGraceSeconds, 60);
    for (const bad of ['0', '1.5', 'soon', '604801']) {
      assert.throws(() => loadConfig({ ...WORKER_ENV, RUN_REAPER_GRACE_SECONDS: bad }), { message: `RUN_REAPER_GRACE_SECONDS must be a whole number from 1 to 604800, not "${bad}".` });
    }
  });

  it('BATCH_RETENTION_DAYS is a whole number from 1 to 3650, default 7', () => {
    assert.equal(DEFAULT_BATCH_RETENTION_DAYS, 7);
    assert.equal(loadConfig(WORKER_ENV).batchRetentionDays, 7);
    assert.equal(loadConfig({ ...WORKER_ENV, BATCH_RETENTION_DAYS: ' 30 ' }).batchRetentionDays, 30);
    assert.equal(loadConfig({ ...WORKER_ENV, BATCH_RETENTION_DAYS: '3650' }).batchRetentionDays, 3650);
  });

  for (const bad of ['0', '-1', '1.5', 'week', '3651']) {
    it(`stops on BATCH_RETENTION_DAYS "${bad}" with a sentence naming it`, () => {
      assert.throws(() => loadConfig({ ...WORKER_ENV, BATCH_RETENTION_DAYS: bad }), (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(error.message, `BATCH_RETENTION_DAYS must be a whole number from 1 to 3650, not "${bad}".`);
        return true;
      });
    });
  }

  it('SECRETS_KEY_PREVIOUS, when set, is a second 32-byte key', () => {
    const previous = randomBytes(32);
    assert.deepEqual(loadConfig({ ...WORKER_ENV, SECRETS_KEY_PREVIOUS: previous.toString('base64') }).secretsKeys, { current: KEY, previous });
  });

  it('stops on a malformed SECRETS_KEY_PREVIOUS, naming it', () => {
    assert.throws(() => loadConfig({ ...WORKER_ENV, SECRETS_KEY_PREVIOUS: 'abc' }), refused('SECRETS_KEY_PREVIOUS must be 32 bytes'));
  });

  it('stops on a Temporal client certificate without its key, or the other way round', () => {
    assert.throws(() => loadConfig({ ...WORKER_ENV, TEMPORAL_TLS_CERT: '/c.pem' }), refused('TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY must be set together: TEMPORAL_TLS_KEY is missing.'));
    assert.throws(() => loadConfig({ ...WORKER_ENV, TEMPORAL_TLS_KEY: '/k.pem' }), refused('TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY must be set together: TEMPORAL_TLS_CERT is missing.'));
  });
});

describe('mail settings', () => {
  it('without SMTP_URL, e-mails go to the log and MAIL_FROM is optional', () => {
    assert.deepEqual(loadConfig(WORKER_ENV).mail, { from: DEFAULT_MAIL_FROM });
    assert.deepEqual(loadConfig({ ...WORKER_ENV, MAIL_FROM: 'Imports <imports@district.org>' }).mail, { from: 'Imports <imports@district.org>' });
  });

  it('takes smtp:// and smtps:// URLs with a host, and then needs MAIL_FROM', () => {
    const env = { ...WORKER_ENV, MAIL_FROM: 'imports@district.org' };
    assert.deepEqual(loadConfig({ ...env, SMTP_URL: 'smtp://127.0.0.1:2525' }).mail, { smtpUrl: 'smtp://127.0.0.1:2525', from: 'imports@district.org' });
    assert.equal(loadConfig({ ...env, SMTP_URL: 'smtps://user:pw@mail.district.org' }).mail.smtpUrl, 'smtps://user:pw@mail.district.org');
    assert.throws(() => loadConfig({ ...WORKER_ENV, SMTP_URL: 'smtp://mail.district.org' }), refused('MAIL_FROM is required when SMTP_URL is set'));
  });

  it('stops on an SMTP_URL that is not SMTP, never quoting its password', () => {
    const env = { ...WORKER_ENV, MAIL_FROM: 'imports@district.org' };
    for (const bad of ['mail.district.org:25', 'http://user:s3cret-pw@mail.district.org', 'smtp://']) {
      assert.throws(
        () => loadConfig({ ...env, SMTP_URL: bad }),
        (error: unknown) => error instanceof ConfigError && error.message.startsWith('SMTP_URL must be') && !error.message.includes('s3cret-pw'),
        bad,
      );
    }
  });

  it('stops on a MAIL_FROM that is not an address', () => {
    for (const bad of ['imports', 'Imports <imports>', 'a@b\r\nBcc: x@y', 'two words@district.org']) {
      assert.throws(() => loadConfig({ ...WORKER_ENV, MAIL_FROM: bad }), refused('MAIL_FROM must be an e-mail address'), bad);
    }
  });
});

describe('loadApiConfig', () => {
  it('needs ADMIN_API_KEY', () => {
    assert.throws(() => loadApiConfig(WORKER_ENV), refused('Environment variable ADMIN_API_KEY is required.'));
    assert.equal(loadApiConfig({ ...WORKER_ENV, ADMIN_API_KEY: 'admin-key' }).adminApiKey, 'admin-key');
  });

  const API_ENV = { ...WORKER_ENV, ADMIN_API_KEY: 'admin-key' };

  it('fair-use limits default to 600 requests a minute, 120 at once, 4 runs per district', () => {
    const config = loadApiConfig(API_ENV);
    assert.deepEqual([config.rateLimitPerMinute, config.rateLimitBurst, config.maxConcurrentRunsPerDistrict], [600, 120, 4]);
    const set = loadApiConfig({ ...API_ENV, RATE_LIMIT_PER_MINUTE: '60', RATE_LIMIT_BURST: ' 5 ', MAX_CONCURRENT_RUNS_PER_DISTRICT: '1' });
    assert.deepEqual([set.rateLimitPerMinute, set.rateLimitBurst, set.maxConcurrentRunsPerDistrict], [60, 5, 1]);
  });

  for (const [setting, bad, max] of [
    ['RATE_LIMIT_PER_MINUTE', '0', 60000],
    ['RATE_LIMIT_BURST', '-1', 60000],
    ['MAX_CONCURRENT_RUNS_PER_DISTRICT', '2.5', 1000],
    ['MAX_CONCURRENT_RUNS_PER_DISTRICT', '1001', 1000],
  ] as const) {
    it(`stops on ${setting} "${bad}" with a sentence naming it`, () => {
      assert.throws(() => loadApiConfig({ ...API_ENV, [setting]: bad }), refused(`${setting} must be a whole number from 1 to ${max}, not "${bad}".`));
    });
  }
});

describe('loadApiListenSettings', () => {
  it('binds to 127.0.0.1 unless API_HOST says otherwise', () => {
    assert.deepEqual(loadApiListenSettings({}), { host: '127.0.0.1', tls: undefined });
    assert.equal(loadApiListenSettings({ API_HOST: '0.0.0.0' }).host, '0.0.0.0');
    assert.equal(loadApiListenSettings({ API_HOST: '::' }).host, '::');
  });

  it('still reads HOST when API_HOST is unset, and says it is deprecated', () => {
    assert.equal(loadApiListenSettings({ HOST: '0.0.0.0' }).host, '0.0.0.0');
    assert.equal(loadApiListenSettings({ HOST: '0.0.0.0', API_HOST: '127.0.0.2' }).host, '127.0.0.2');
    assert.match(deprecatedSettings({ HOST: '0.0.0.0' }).join(), /HOST is deprecated: set API_HOST/);
    assert.deepEqual(deprecatedSettings({ API_HOST: '0.0.0.0', HOST: 'x' }), []);
  });

  it('stops on an API_HOST that is neither an address nor a host name', () => {
    assert.throws(() => loadApiListenSettings({ API_HOST: 'http://0.0.0.0/' }), refused('API_HOST must be an IP address or a host name'));
  });

  it('serves TLS with TLS_CERT_FILE and TLS_KEY_FILE, and stops when only one is set', () => {
    assert.deepEqual(loadApiListenSettings({ TLS_CERT_FILE: '/c.pem', TLS_KEY_FILE: '/k.pem' }).tls, { certFile: '/c.pem', keyFile: '/k.pem' });
    assert.throws(() => loadApiListenSettings({ TLS_CERT_FILE: '/c.pem' }), refused('TLS_CERT_FILE and TLS_KEY_FILE must be set together: TLS_KEY_FILE is missing.'));
    assert.throws(() => loadApiListenSettings({ TLS_KEY_FILE: '/k.pem' }), refused('TLS_CERT_FILE and TLS_KEY_FILE must be set together: TLS_CERT_FILE is missing.'));
  });
});

describe('entry points stop at start on a bad setting', () => {
  function runScript(script: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
    const child = spawn(process.execPath, ['--import', 'tsx', script], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
  }

  it('the worker, without ADMIN_API_KEY, gets past its settings to the database', async () => {
    const run = await runScript('scripts/worker.ts', { ...WORKER_ENV, DATABASE_URL: `postgres://u:p@127.0.0.1:${await findFreePort()}/x` });
    assert.equal(run.code, 1);
    assert.match(run.output, /The worker could not start: .*ECONNREFUSED/s);
  });

  it('the worker, on CHUNK_SIZE', async () => {
    const run = await runScript('scripts/worker.ts', { ...WORKER_ENV, CHUNK_SIZE: 'lots' });
    assert.equal(run.code, 1);
    assert.match(run.output, /The worker could not start: CHUNK_SIZE must be a whole number/);
  });

  it('the API, on a TLS certificate without its key', async () => {
    const run = await runScript('scripts/api.ts', { ...WORKER_ENV, ADMIN_API_KEY: 'k', TLS_CERT_FILE: '/c.pem' });
    assert.equal(run.code, 1);
    assert.match(run.output, /The API could not start: TLS_CERT_FILE and TLS_KEY_FILE must be set together/);
  });
});
