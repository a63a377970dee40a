import { test } from 'node:test';
import assert from 'node:assert/strict';
import { servedOverHttps } from '../../web/app';
import { csrfTokenMatches, csrfTokenOf, isSessionId, newSessionId, noticeSignature, noticeSignatureMatches, originMatchesHost, sessionIdHash } from '../../web/session-tokens';

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

test("a redirect's notice shows only with its session's signature", () => {
  const csrf = csrfTokenOf(newSessionId());
  assert.equal(noticeSignatureMatches(csrf, 'Saved.', noticeSignature(csrf, 'Saved.')), true);
  assert.equal(noticeSignatureMatches(csrf, 'Email your key to x', noticeSignature(csrf, 'Saved.')), false, 'other words');
  assert.equal(noticeSignatureMatches(csrf, 'Saved.', noticeSignature(csrfTokenOf(newSessionId()), 'Saved.')), false, 'another session');
  assert.equal(noticeSignatureMatches(csrf, 'Saved.', undefined), false);
});

test('the sign-in form is taken only from this host, as the browser names it in Origin', () => {
  assert.equal(originMatchesHost('http://127.0.0.1:3000', '127.0.0.1:3000'), true);
  assert.equal(originMatchesHost('https://imports.example', 'imports.example'), true);
  assert.equal(originMatchesHost('https://evil.example', 'imports.example'), false);
  assert.equal(originMatchesHost('null', 'imports.example'), false);
  assert.equal(originMatchesHost('http://127.0.0.1:3000', undefined), false);
  assert.equal(originMatchesHost(undefined, 'imports.example'), true, 'not a browser: no Origin');
});
