import type { ConnectionConfig } from '../domain/connection';
import type { ConnectOptions, FileSource } from './file-source';
import { allowedAddress } from './allowed-address';
import { connectSftp } from './sftp';
import { connectFtps } from './ftps';
import { connectSmb } from './smb';

const LOOKUP_TIMEOUT_MS = 20_000;

/**
 * Opens a session on the import's directory. The host is resolved once and checked against the
 * outbound address policy before anything is sent; the adapter then connects to that address
 * and checks trust and the directory's existence.
 */
export async function connectFileSource(config: ConnectionConfig, options: ConnectOptions = {}): Promise<FileSource> {
  const { timeoutMs, allowLoopback = false } = options;
  const address = await allowedAddress(config, { allowLoopback }, timeoutMs ?? LOOKUP_TIMEOUT_MS);
  switch (config.protocol) {
    case 'sftp':
      return connectSftp(config, { timeoutMs, address });
    case 'ftps':
      return connectFtps(config, { timeoutMs, address });
    case 'smb':
      return connectSmb(config, { timeoutMs, address });
  }
}
