import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { ConfigError, DEFAULT_WEB_SESSION_IDLE_MINUTES, DEFAULT_WEB_SESSION_MAX_HOURS, loadApiConfig } from '../../config';

const ENV: NodeJS.ProcessEnv = { DATABASE_URL: 'postgres://u:p@db:5432/x', SECRETS_KEY: randomBytes(32).toString('hex'), ADMIN_API_KEY: 'admin-key' };

test('web page sessions: 8 hours idle and 24 hours in all unless WEB_SESSION_IDLE_MINUTES and WEB_SESSION_MAX_HOURS say otherwise', () => {
  assert.deepEqual(loadApiConfig(ENV).webSessions, { idleMinutes: DEFAULT_WEB_SESSION_IDLE_MINUTES, maxHours: DEFAULT_WEB_SESSION_MAX_HOURS });
  assert.deepEqual(loadApiConfig({ ...ENV, WEB_SESSION_IDLE_MINUTES: '30', WEB_SESSION_MAX_HOURS: ' 12 ' }).webSessions, { idleMinutes: 30, maxHours: 12 });
});

test('a session setting that is not a whole number in range stops the API, naming it', () => {
  for (const [name, value] of [['WEB_SESSION_IDLE_MINUTES', '0'], ['WEB_SESSION_IDLE_MINUTES', '8h'], ['WEB_SESSION_MAX_HOURS', '721']]) {
    assert.throws(() => loadApiConfig({ ...ENV, [name!]: value }), (e: unknown) => e instanceof ConfigError && e.message.startsWith(name!), `${name}=${value}`);
  }
});
