import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import type { ConnectionConfig, Protocol } from '../../domain/connection';
import { ConnectionError } from '../../domain/connection-errors';
import { connectFileSource } from '../../sources/connect';
import { expectCode } from './expect-code';

/**
 * The address policy at connect time: the host is resolved and checked before any adapter
 * opens a socket. `127.1` is not a loopback literal, but the system resolver turns it into
 * 127.0.0.1, so only a check after resolution can refuse it.
 */
describe('connect-time address policy', () => {
  let listener: Server;
  let port = 0;
  let connections = 0;

  before(async () => {
    listener = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    port = (listener.address() as { port: number }).port;
  });
  after(() => new Promise<void>((resolve) => listener.close(() => resolve())));

  const config = (protocol: Protocol): ConnectionConfig => ({
    protocol,
    host: '127.1',
    port,
    username: 'svc',
    password: 'Not-For-Loopback-9',
    directoryPath: protocol === 'smb' ? 'share/in' : 'in',
    ...(protocol === 'ftps' ? { ftpsMode: 'explicit' as const } : {}),
  });

  for (const protocol of ['sftp', 'ftps', 'smb'] as const) {
    it(`${protocol}: a name resolving to loopback is HOST_NOT_ALLOWED and no connection is made`, async () => {
      connections = 0;
      const error = await expectCode(connectFileSource(config(protocol), { timeoutMs: 3000, allowLoopback: false }), 'HOST_NOT_ALLOWED');
      assert.equal(connections, 0);
      assert.ok(error.message.startsWith(`${protocol.toUpperCase()} 127.1:${port}, directory `), error.message);
      assert.match(error.message, /resolves to 127\.0\.0\.1, a loopback address/);
      assert.equal(error.retryable, false);
    });

    it(`${protocol}: where loopback is allowed, the same name is connected to (the listener sees it)`, async () => {
      connections = 0;
      const error = await connectFileSource(config(protocol), { timeoutMs: 3000, allowLoopback: true }).then(
        (source) => source.close().then(() => undefined),
        (e: unknown) => e,
      );
      assert.ok(error instanceof ConnectionError && error.code !== 'HOST_NOT_ALLOWED', String(error));
      assert.equal(connections, 1);
    });
  }

  it('a link-local literal is refused even where loopback is allowed', async () => {
    await expectCode(connectFileSource({ ...config('sftp'), host: '169.254.169.254' }, { timeoutMs: 3000, allowLoopback: true }), 'HOST_NOT_ALLOWED');
  });

  it('loopback is refused when the caller says nothing', async () => {
    connections = 0;
    await expectCode(connectFileSource({ ...config('sftp'), host: '127.0.0.1' }, { timeoutMs: 3000 }), 'HOST_NOT_ALLOWED');
    assert.equal(connections, 0);
  });
});
