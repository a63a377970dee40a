/** How an import reaches its files. Secrets are present only inside activities. */
export type Protocol = 'sftp' | 'ftps' | 'smb';
export type FtpsMode = 'implicit' | 'explicit';

export interface Trust {
  /** Fingerprint exactly as Test Connection reports it: `SHA256:<base64>` for SSH host keys, colon hex for TLS certificates. */
  sha256: string;
  /** SSH only: the host key algorithm the pin belongs to, e.g. `ssh-ed25519`. */
  keyType?: string;
}

export interface ConnectionSettings {
  protocol: Protocol;
  host: string;
  port: number;
  username: string;
  /** Relative to the login directory (SFTP, FTPS); for SMB the first segment is the share. `/` or `\` separators. */
  directoryPath: string;
  domain?: string;
  ftpsMode?: FtpsMode;
  trust?: Trust;
}

export interface ConnectionSecrets {
  password?: string;
  privateKey?: string;
  passphrase?: string;
}

export type ConnectionConfig = ConnectionSettings & ConnectionSecrets;

/** Stored secrets belong to this endpoint: protocol, host, port, user name and domain (not the directory). */
export function sameEndpoint(a: ConnectionSettings, b: ConnectionSettings): boolean {
  return a.protocol === b.protocol && a.host === b.host && a.port === b.port && a.username === b.username && (a.domain ?? null) === (b.domain ?? null);
}

export const DEFAULT_PORTS: Record<Protocol, number> = { sftp: 22, ftps: 990, smb: 445 };

/** Splits a directory path into segments, accepting `/` and `\`. */
export function directorySegments(directoryPath: string): string[] {
  return directoryPath.split(/[\\/]+/).filter((s) => s.length > 0);
}

export function describeConnection(c: ConnectionSettings): string {
  const dir = c.directoryPath === '' ? '(root)' : c.directoryPath;
  return `${c.protocol.toUpperCase()} ${c.host}:${c.port}, directory ${dir}`;
}
