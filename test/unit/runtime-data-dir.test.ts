import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseSecretsKey } from '../../config';
import { generateHexKey, loadOrCreateSecret, resolveDataDir } from '../../runtime/data-dir';
import { redactUrl } from '../../runtime/redact-url';
import { fillSecretDefaults, portFromEnv } from '../../runtime/start-defaults';

test('the data dir is DATA_DIR, else ./.data, as an absolute path', () => {
  assert.equal(resolveDataDir({}, '/srv/app'), '/srv/app/.data');
  assert.equal(resolveDataDir({ DATA_DIR: 'state' }, '/srv/app'), '/srv/app/state');
  assert.equal(resolveDataDir({ DATA_DIR: '/var/lib/si' }, '/srv/app'), '/var/lib/si');
});

test('a secret is created once, readable by its owner only, and then reused', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'runtime-secret-'));
  try {
    const first = await loadOrCreateSecret(join(dir, 'nested'), 'key', generateHexKey);
    assert.match(first, /^[0-9a-f]{64}$/);
    assert.equal(parseSecretsKey(first).length, 32);
    assert.equal((await stat(join(dir, 'nested', 'key'))).mode & 0o777, 0o600);
    assert.equal(await loadOrCreateSecret(join(dir, 'nested'), 'key', () => 'other'), first);
    assert.equal((await readFile(join(dir, 'nested', 'key'), 'utf8')).trim(), first);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('dev SECRETS_KEY and ADMIN_API_KEY come from the data dir unless set', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'runtime-defaults-'));
  try {
    const env: NodeJS.ProcessEnv = { ADMIN_API_KEY: 'given' };
    const filled = await fillSecretDefaults(env, dir);
    assert.deepEqual(filled, { secretsKeyFile: 'secrets-key' });
    assert.equal(env.ADMIN_API_KEY, 'given');
    assert.equal(env.SECRETS_KEY, (await readFile(join(dir, 'secrets-key'), 'utf8')).trim());

    const again: NodeJS.ProcessEnv = {};
    await fillSecretDefaults(again, dir);
    assert.equal(again.SECRETS_KEY, env.SECRETS_KEY);
    assert.match(again.ADMIN_API_KEY ?? '', /^admin_[A-Za-z0-9_-]{32}$/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('ports from the environment are checked', () => {
  assert.equal(portFromEnv({}, 'PORT'), undefined);
  assert.equal(portFromEnv({ PORT: '' }, 'PORT'), undefined);
  assert.equal(portFromEnv({ PORT: '0' }, 'PORT'), 0);
  assert.equal(portFromEnv({ PORT: '8080' }, 'PORT'), 8080);
  assert.throws(() => portFromEnv({ PORT: 'http' }, 'PORT'), /PORT must be a port number/);
  assert.throws(() => portFromEnv({ PORT: '70000' }, 'PORT'), /PORT must be a port number/);
});

test('a database URL is printed without its password', () => {
  assert.equal(redactUrl('postgres://user:s3cret@db:5432/x'), 'postgres://user:***@db:5432/x');
  assert.equal(redactUrl('postgres://db:5432/x'), 'postgres://db:5432/x');
  assert.equal(redactUrl('not a url'), '(a URL that does not parse)');
});
