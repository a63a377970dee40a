import { test } from 'node:test';
import assert from 'node:assert/strict';
import { servedOverHttps } from '../../web/app';
import { csrfTokenMatches, csrfTokenOf, isSessionId, newSessionId, sessionIdHash } from '../../web/session-tokens';

test('a session id is 32 random bytes in base64url, and the database holds only its SHA-256', () => {
  const a = newSessionId();
  const b = newSessionId();
  assert.ok(isSessionId(a) && isSessionId(b));
  assert.notEqual(a, b);
  assert.equal(sessionIdHash(a).length, 32);
  assert.ok(!sessionIdHash(a).toString('base64url').includes(a));
});

test('a cookie that is not a session id is refused before any lookup', () => {
  for (const bad of [undefined, '', 'short', `${newSessionId()}x`, "' or 1=1 --------------------------------", 'a'.repeat(42) + '/']) assert.equal(isSessionId(bad), false, String(bad));
});

test("a session's CSRF token matches that session only", () => {
  const session = newSessionId();
  const token = csrfTokenOf(session);
  assert.equal(csrfTokenMatches(session, token), true);
  assert.equal(csrfTokenMatches(newSessionId(), token), false, "another session's token");
  assert.equal(csrfTokenMatches(session, undefined), false, 'no token');
  assert.equal(csrfTokenMatches(session, ''), false, 'an empty token');
  assert.equal(csrfTokenMatches(session, `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`), false, 'one character changed');
  assert.equal(csrfTokenMatches(session, token.slice(1)), false, 'cut short');
});

test('the session cookie is Secure over HTTPS, directly or behind a proxy that says so', () => {
  assert.equal(servedOverHttps('https://imports.example/ui/sign-in', undefined), true);
  assert.equal(servedOverHttps('http://127.0.0.1:3000/ui/sign-in', 'https'), true);
  assert.equal(servedOverHttps('http://127.0.0.1:3000/ui/sign-in', 'HTTPS, http'), true);
  assert.equal(servedOverHttps('http://127.0.0.1:3000/ui/sign-in', 'http'), false);
  assert.equal(servedOverHttps('http://127.0.0.1:3000/ui/sign-in', undefined), false);
});
