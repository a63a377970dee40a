import { readFile } from 'node:fs/promises';
import { createServer as createHttpsServer } from 'node:https';
import { createSecureContext } from 'node:tls';
import { serve } from '@hono/node-server';
import { Client, Connection } from '@temporalio/client';
import { ConfigError, type ApiConfig, type ApiListenSettings } from '../config';
import { createPool } from '../db/pool';
import { createApp } from './app';
import { createTemporalScheduleManager } from './import-schedules';
import { createTemporalRunLauncher } from './run-launcher';
import { startScheduleRefresh } from './schedule-refresh';
import { temporalConnectionOptions } from '../worker/temporal-connection';

export interface ServeOptions extends ApiListenSettings {
  /** 0 = any free port. */
  port: number;
}

/** Serves the HTTP API on `host`:`port`, over HTTPS when `tls` names a certificate and key. */
export async function serveApi(config: ApiConfig, options: ServeOptions): Promise<{ url: string; stop(): Promise<void> }> {
  const tls = options.tls ? await readTlsFiles(options.tls) : undefined;
  const db = createPool(config.databaseUrl);
  const connection = await Connection.connect(await temporalConnectionOptions(config));
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const schedules = createTemporalScheduleManager(client, config.temporal.taskQueue);
  const app = createApp({ db, config, launcher: createTemporalRunLauncher(client, db, config.temporal.taskQueue), schedules });
  const { host, port } = options;
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const listen = { fetch: app.fetch, port, hostname: host };
    const s = tls ? serve({ ...listen, createServer: createHttpsServer, serverOptions: tls }, () => resolve(s)) : serve(listen, () => resolve(s));
  });
  const refresh = startScheduleRefresh(db, schedules, (line) => console.warn(line));
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    url: `${tls ? 'https' : 'http'}://${urlHost(host)}:${actualPort}`,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await refresh.stop();
      await connection.close();
      await db.end();
    },
  };
}

/** Read and checked before anything starts, so a wrong file stops the API with the setting's name. */
async function readTlsFiles(tls: NonNullable<ApiListenSettings['tls']>): Promise<{ cert: Buffer; key: Buffer }> {
  const read = (path: string, setting: string) =>
    readFile(path).catch((error: unknown) => {
      throw new ConfigError(`${setting} (${path}) cannot be read.`, { cause: error });
    });
  const files = { cert: await read(tls.certFile, 'TLS_CERT_FILE'), key: await read(tls.keyFile, 'TLS_KEY_FILE') };
  try {
    createSecureContext(files);
  } catch (error) {
    throw new ConfigError('TLS_CERT_FILE and TLS_KEY_FILE must be a PEM certificate (chain) and its private key.', { cause: error });
  }
  return files;
}

/** What to print: a wildcard address is reachable locally at loopback; IPv6 needs brackets. */
function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
