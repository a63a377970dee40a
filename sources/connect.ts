import type { ConnectionConfig } from '../domain/connection';
import type { ConnectOptions, FileSource } from './file-source';
import { connectSftp } from './sftp';
import { connectFtps } from './ftps';
import { connectSmb } from './smb';

/** Opens a session on the import's directory; trust and the directory's existence are checked here. */
export function connectFileSource(config: ConnectionConfig, options: ConnectOptions = {}): Promise<FileSource> {
  switch (config.protocol) {
    case 'sftp':
      return connectSftp(config, options);
    case 'ftps':
      return connectFtps(config, options);
    case 'smb':
      return connectSmb(config, options);
  }
}
