import type { AppConfig } from '../config';
import type { ConnectionConfig } from '../domain/connection';
import type { Db } from '../db/pool';
import type { Mailer } from '../mail/mailer';
import type { ConnectOptions, FileSource } from '../sources/file-source';
import type { RunSessions } from './run-sessions';

export interface ActivityDeps {
  db: Db;
  config: Pick<AppConfig, 'secretsKeys' | 'chunkSize' | 'runCaps' | 'maxRowBytes' | 'maxRowFields' | 'allowLoopbackSources'>;
  connect: (config: ConnectionConfig, options?: ConnectOptions) => Promise<FileSource>;
  now?: () => Date;
  /** Run e-mails; without one they are written to the log (as without SMTP_URL). */
  mailer?: Mailer;
  /** Keeps a run's session for its next activity; without it every activity logs in afresh. */
  sessions?: RunSessions;
}
