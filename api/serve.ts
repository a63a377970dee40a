import { serve } from '@hono/node-server';
import { Client, Connection } from '@temporalio/client';
import type { AppConfig } from '../config';
import { createPool } from '../db/pool';
import { createApp } from './app';
import { createTemporalScheduleManager } from './import-schedules';
import { createTemporalRunLauncher } from './run-launcher';
import { temporalConnectionOptions } from '../worker/temporal-connection';

/** Serves the HTTP API on 127.0.0.1 (or `host`) at `port` (0 = any free port). */
export async function serveApi(config: AppConfig, port: number, host = '127.0.0.1'): Promise<{ url: string; stop(): Promise<void> }> {
  const db = createPool(config.databaseUrl);
  const connection = await Connection.connect(await temporalConnectionOptions(config));
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const app = createApp({
    db,
    config,
    launcher: createTemporalRunLauncher(client, db, config.temporal.taskQueue),
    schedules: createTemporalScheduleManager(client, config.temporal.taskQueue),
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port, hostname: host }, () => resolve(s));
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${actualPort}`,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await connection.close();
      await db.end();
    },
  };
}
