import type { Readable } from 'node:stream';
import type { SmbSession } from '../domain/connection';

export interface RemoteFile {
  name: string;
  size: number;
  modifiedAt: Date;
}

/**
 * One connected session on a district file server, rooted at the import's directory.
 * Every name is a plain file name inside that directory (no separators).
 * Every failure is a ConnectionError (domain/connection-errors.ts).
 */
export interface FileSource {
  /** The server's fingerprint as Test Connection reports it (SSH host key or TLS certificate); undefined for SMB. */
  readonly fingerprint: string | undefined;
  /** SSH only: the negotiated host key algorithm, e.g. `ssh-ed25519`. */
  readonly keyType?: string;
  /** SMB only: the dialect, and whether the session is signed and encrypted, as Test Connection reports them. */
  smbSession?(): Promise<SmbSession>;
  /** Regular files in the directory (no directories, no links to directories). */
  list(): Promise<RemoteFile[]>;
  /** One file's size and mtime, or undefined when it is gone. */
  stat(name: string): Promise<RemoteFile | undefined>;
  /**
   * A stream of the file's bytes (from byte `from` on, where `resumesReads`); errors surface as stream
   * 'error' events carrying a ConnectionError.
   */
  openRead(name: string, from?: number): Promise<Readable>;
  /** Whether openRead can start past the file's first byte (SFTP reads at an offset, FTPS sends REST); smbclient cannot. */
  readonly resumesReads?: boolean;
  /** Renames within the directory; throws FILE_EXISTS and changes nothing when `to` exists. */
  rename(from: string, to: string): Promise<void>;
  /** Writes a file (e.g. an error report) into the directory, replacing one of the same name so a retried write succeeds. */
  write(name: string, content: Buffer): Promise<void>;
  close(): Promise<void>;
  /** Whether the session still answers (one round trip); a source with this may be kept for a run's next activity. */
  alive?(): Promise<boolean>;
}

export interface ConnectOptions {
  /** Hard bound on connecting (and on each single operation for process-based adapters). */
  timeoutMs?: number;
  /** Loopback hosts may be connected to (`ALLOW_LOOPBACK_SOURCES`); off unless given. */
  allowLoopback?: boolean;
}

/** What an adapter is given by connectFileSource. */
export interface AdapterOptions {
  timeoutMs?: number;
  /**
   * The address the host was resolved to and checked at; the adapter connects there, so a DNS
   * answer cannot change in between. The host name still names the server in messages and to TLS.
   * Without it the adapter resolves the host itself.
   */
  address?: string;
}
