import { connect, type ConnectionOptions } from 'node:tls';

/**
 * True when the server (the control connection's TLS options plus its port) completes a
 * TLS handshake as soon as it is opened, i.e. speaks implicit FTPS. Used to explain a silent
 * server in explicit mode (an implicit server waits for a ClientHello and never greets in
 * plain text). Sends nothing but the handshake.
 */
export function speaksImplicitTls(server: ConnectionOptions, timeoutMs: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const socket = connect(server);
    const finish = (answer: boolean) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(answer);
    };
    const onAbort = () => finish(false);
    const timer = setTimeout(() => finish(false), timeoutMs);
    signal.addEventListener('abort', onAbort);
    socket.once('secureConnect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}
