import type { AppConfig } from '../config';

/** Serves the HTTP API on 127.0.0.1 (or HOST) at `port` (0 = any free port). */
export async function serveApi(_config: AppConfig, _port: number, _host?: string): Promise<{ url: string; stop(): Promise<void> }> {
  throw new Error('not written yet');
}
