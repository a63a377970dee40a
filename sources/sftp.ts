import type { ConnectionConfig } from '../domain/connection';
import type { ConnectOptions, FileSource } from './file-source';

export async function connectSftp(_config: ConnectionConfig, _options: ConnectOptions): Promise<FileSource> {
  throw new Error('sftp adapter not written yet');
}
