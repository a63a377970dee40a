import { connect, createServer, type Socket } from 'node:net';

/**
 * A TCP relay on loopback in front of a real server that passes the server's bytes on at most
 * `bytesPerSecond`: a slow link, so a download lasts long enough for a test to break something mid-transfer.
 * When the server side closes (the server was killed), the client side is closed too.
 */
export interface ThrottledRelay {
  readonly host: string;
  readonly port: number;
  /** Bytes passed from the server to clients so far. */
  bytesRelayed(): number;
  /** The server goes quiet on the connections open now: they stay open, and no more of its bytes pass; later connections flow. */
  silenceOpenConnections(): void;
  stop(): Promise<void>;
}

export async function startThrottledRelay(target: { host: string; port: number }, bytesPerSecond: number): Promise<ThrottledRelay> {
  const sockets = new Set<Socket>();
  let relayed = 0;
  const upstreams = new Set<Socket>();
  const silenced = new WeakSet<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const server = createServer((client) => {
    track(client);
    const upstream = connect(target.port, target.host);
    track(upstream);
    upstreams.add(upstream);
    upstream.on('close', () => upstreams.delete(upstream));
    upstream.on('close', () => client.destroy());
    client.on('close', () => upstream.destroy());
    client.pipe(upstream);
    upstream.on('data', (chunk: Buffer) => {
      upstream.pause();
      if (silenced.has(upstream)) return;
      relayed += chunk.length;
      client.write(chunk);
      setTimeout(() => upstream.resume(), Math.ceil((chunk.length / bytesPerSecond) * 1000));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    host: '127.0.0.1',
    port: (server.address() as { port: number }).port,
    bytesRelayed: () => relayed,
    silenceOpenConnections() {
      for (const upstream of upstreams) {
        silenced.add(upstream);
        upstream.pause();
      }
    },
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
