import { after, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveApi } from '../../api/serve';
import { loadApiListenSettings } from '../../config';
import { startTestSystem, type TestSystem } from '../support/system';

/** serveApi as the entry points call it: a real listening socket, over HTTPS when asked. */
describe('serving the API', () => {
  const dir = mkdtempSync(join(tmpdir(), 'si-api-tls-'));
  const tls = { certFile: join(dir, 'cert.pem'), keyFile: join(dir, 'key.pem') };
  let system: TestSystem;

  before(async () => {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout', tls.keyFile, '-out', tls.certFile,
    ], { stdio: 'ignore' });
    system = await startTestSystem({ inProcessWorker: false });
  });
  after(async () => {
    await system?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves HTTPS with TLS_CERT_FILE and TLS_KEY_FILE, to a client that trusts that certificate', async () => {
    const api = await serveApi(system.config, { host: '127.0.0.1', port: 0, tls });
    try {
      assert.match(api.url, /^https:\/\/127\.0\.0\.1:\d+$/);
      const health = await getOverHttps(`${api.url}/api/health`, readFileSync(tls.certFile));
      assert.deepEqual({ status: health.status, body: JSON.parse(health.body) }, { status: 200, body: { ok: true, database: true, temporal: true } });
    } finally {
      await api.stop();
    }
  });

  it('refuses TLS files that are not a certificate and its key, naming the settings', async () => {
    const notACert = join(dir, 'not-a-cert.pem');
    writeFileSync(notACert, 'hello');
    await assert.rejects(serveApi(system.config, { host: '127.0.0.1', port: 0, tls: { certFile: notACert, keyFile: tls.keyFile } }), {
      name: 'ConfigError',
      message: /^TLS_CERT_FILE and TLS_KEY_FILE must be a PEM certificate/,
    });
  });

  it('listens on 127.0.0.1 only when API_HOST is unset', async (t: TestContext) => {
    const outside = Object.values(networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
    if (!outside) return t.skip('this machine has no non-loopback IPv4 address to try');
    const api = await serveApi(system.config, { ...loadApiListenSettings({}), port: 0 });
    try {
      const port = new URL(api.url).port;
      assert.equal((await getOverHttp(`http://127.0.0.1:${port}/api/health`)).status, 200);
      await assert.rejects(getOverHttp(`http://${outside}:${port}/api/health`), { code: 'ECONNREFUSED' });
    } finally {
      await api.stop();
    }
  });
});

function getOverHttps(url: string, ca: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    httpsRequest(url, { ca }, (res) => collect(res, resolve, reject)).on('error', reject).end();
  });
}

function getOverHttp(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    httpRequest(url, (res) => collect(res, resolve, reject)).on('error', reject).end();
  });
}

function collect(res: IncomingMessage, resolve: (r: { status: number; body: string }) => void, reject: (e: unknown) => void): void {
  let body = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => (body += chunk));
  res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
  res.on('error', reject);
}
