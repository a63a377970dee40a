import type { ConnectionConfig } from '../domain/connection';
import type { ConnectOptions, FileSource } from './file-source';

export async function connectFtps(_config: ConnectionConfig, _options: ConnectOptions): Promise<FileSource> {
  throw new Error('ftps adapter not written yet');
}
