import type { ConnectionConfig } from '../domain/connection';
import type { ConnectOptions, FileSource } from './file-source';

export async function connectSmb(_config: ConnectionConfig, _options: ConnectOptions): Promise<FileSource> {
  throw new Error('smb adapter not written yet');
}
