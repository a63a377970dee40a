import type { ConnectionConfig } from '../../domain/connection';

/** A real file server started on loopback by a test (sshd, vsftpd, smbd). */
export interface TestFileServer {
  readonly label: string;
  readonly host: string;
  readonly port: number;
  /** Local absolute path of the directory the login (or share) starts in; tests place files here. */
  readonly rootDir: string;
  /** What Test Connection should report as the server's fingerprint; undefined where the protocol has none (SMB). */
  readonly fingerprint: string | undefined;
  /** A full connection (credentials and correct trust pin) to `subdir` below rootDir ('' for rootDir itself). */
  connection(subdir: string): ConnectionConfig;
  stop(): Promise<void>;
}
