import { readFile } from 'node:fs/promises';
import type { AppConfig } from '../config';

/** The same options serve the client (API) and the worker's native connection. */
export async function temporalConnectionOptions(config: AppConfig): Promise<{
  address: string;
  tls?: true | { serverNameOverride?: string; clientCertPair: { crt: Buffer; key: Buffer } };
  apiKey?: string;
}> {
  const { address, tls, apiKey } = config.temporal;
  if (!tls && !apiKey) return { address };
  return {
    address,
    tls: tls
      ? { serverNameOverride: tls.serverNameOverride, clientCertPair: { crt: await readFile(tls.certPath), key: await readFile(tls.keyPath) } }
      : true,
    ...(apiKey ? { apiKey } : {}),
  };
}
