import { connect, createServer, type Socket } from 'node:net';

/**
 * A TCP relay on loopback in front of a real file server that holds each connection until it is opened:
 * a server slow to answer, so a test can keep a run's activity busy for as long as it needs.
 */
export interface TcpGate {
  readonly host: string;
  readonly port: number;
  /** Connections held at the gate now. */
  waiting(): number;
  /** Lets the held connections, and every later one, through to the server. */
  open(): void;
  /** Holds later connections again. */
  close(): void;
  stop(): Promise<void>;
}

export async function startTcpGate(target: { host: string; port: number }): Promise<TcpGate> {
  let isOpen = false;
  const held: Socket[] = [];
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const relay = (client: Socket) => {
    const upstream = connect(target.port, target.host);
    track(upstream);
    upstream.on('close', () => client.destroy());
    client.on('close', () => upstream.destroy());
    client.pipe(upstream).pipe(client);
  };
  const server = createServer((client) => {
    track(client);
    client.on('close', () => {
      const at = held.indexOf(client);
      if (at >= 0) held.splice(at, 1);
    });
    if (isOpen) relay(client);
    else held.push(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const port = (server.address() as { port: number }).port;
  return {
    host: '127.0.0.1',
    port,
    waiting: () => held.length,
    open() {
      isOpen = true;
      for (const client of held.splice(0)) relay(client);
    },
    close() {
      isOpen = false;
    },
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
