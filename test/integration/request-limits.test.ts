import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { serveApi } from '../../api/serve';
import { API_EXAMPLE_MAPPING } from '../support/api-example-mapping';
import { createDistrictWithKey } from '../support/fixtures';
import { startTestSystem, type TestSystem } from '../support/system';

const MB = 1024 * 1024;

interface Answer {
  status: number;
  body: string;
  /** how much of the body the client had sent when the answer came */
  bytesSent: number;
}

/** Sends `bytes` of body (spaces) until the server answers, with Content-Length or chunked; stops sending once answered. */
function upload(url: string, key: string, method: string, bytes: number, framing: 'content-length' | 'chunked'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    if (framing === 'content-length') headers['content-length'] = bytes;
    const req = request(url, { method, headers });
    const piece = Buffer.alloc(64 * 1024, ' ');
    let sent = 0;
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      const bytesSent = sent;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode!, body, bytesSent });
      });
    });
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    const pump = () => {
      while (!answered && sent < bytes) {
        const part = piece.subarray(0, Math.min(piece.length, bytes - sent));
        sent += part.length;
        if (!req.write(part)) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

/** A valid PUT /api/students body of exactly `bytes` (JSON allows the trailing spaces). */
function studentsBody(count: number, bytes: number): string {
  const students = Array.from({ length: count }, (_, i) => ({ studentNumber: `S${i}`, firstName: 'Ana', lastName: 'Lopez' }));
  return JSON.stringify(students).padEnd(bytes, ' ');
}

describe('Request limits and malformed bodies', () => {
  let system: TestSystem;
  let api: { url: string; stop(): Promise<void> };
  let key = '';

  before(async () => {
    system = await startTestSystem();
    ({ key } = await createDistrictWithKey(system, 'Limits USD'));
    api = await serveApi(system.config, { host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await api?.stop();
    await system?.stop();
  });

  const assertTooLarge = (answer: Answer) => {
    assert.equal(answer.status, 413, answer.body);
    assert.equal(JSON.parse(answer.body).error.code, 'BODY_TOO_LARGE');
  };

  it('a 20 MB body is answered 413 before it is uploaded, and the server carries on', async () => {
    const answer = await upload(`${api.url}/api/mappings`, key, 'POST', 20 * MB, 'content-length');
    assertTooLarge(answer);
        assert.ok(answer.bytesSent < 10 * MB, `answered after ${answer.bytesSent} bytes`);
    const health = await fetch(`${api.url}/api/health`);
    assert.equal(health.status, 200);
    const mapping = await fetch(`${api.url}/api/mappings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(API_EXAMPLE_MAPPING),
    });
    assert.equal(mapping.status, 201, await mapping.text());
  });

  it('a chunked body is read only until it passes the limit', async () => {
    const answer = await upload(`${api.url}/api/mappings`, key, 'POST', 20 * MB, 'chunked');
    assertTooLarge(answer);
        assert.ok(answer.bytesSent < 10 * MB, `answered after ${answer.bytesSent} bytes`);
    assert.equal((await fetch(`${api.url}/api/health`)).status, 200);
  });

  it('PUT /api/students takes 5 MB; a 5 MB POST elsewhere is refused', async () => {
    const body = studentsBody(10_000, 5 * MB);
    const res = await fetch(`${api.url}/api/students`, { method: 'PUT', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body });
    const text = await res.text();
    assert.equal(res.status, 200, text);
    assert.deepEqual(JSON.parse(text), { upserted: 10_000 });
    assertTooLarge(await upload(`${api.url}/api/mappings`, key, 'POST', 5 * MB, 'content-length'));
  });

  it('PUT /api/students refuses a body over 10 MB', async () => {
    assertTooLarge(await upload(`${api.url}/api/students`, key, 'PUT', 10 * MB + 1, 'content-length'));
  });

  it('an in-process body without Content-Length is limited too', async () => {
    const res = await system.call('POST', '/api/mappings', { key, rawBody: ' '.repeat(MB + 1) });
    assert.equal(res.status, 413);
    assert.equal(res.body.error.code, 'BODY_TOO_LARGE');
  });

  it('malformed JSON is answered 400 without any part of the body', async () => {
    for (const rawBody of ['{"connection": {"password": hunter2-distinctive-77}}', '{"password": "hunter2-distinctive-77", ', '{"password": "hunter2-distinctive-77",}']) {
      const res = await system.call('POST', '/api/imports', { key, rawBody });
      assert.equal(res.status, 400, res.text);
      assert.equal(res.body.error.code, 'MALFORMED_JSON');
      assert.ok(!res.text.includes('hunter2'), res.text);
      assert.ok(!res.text.includes('password'), res.text);
    }
  });
});
