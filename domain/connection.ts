/** How an import reaches its files. Secrets are present only inside activities. */
export type Protocol = 'sftp' | 'ftps' | 'smb';
export type FtpsMode = 'implicit' | 'explicit';
/** SMB only. `required`: SMB3, signing and encryption, nothing less. `legacy`: SMB2 or later, signing required, encryption when offered. */
export type SmbSecurity = 'required' | 'legacy';
export const SMB_SECURITY_DEFAULT: SmbSecurity = 'required';

/** How an SMB session is protected, as smbclient saw it. */
export interface SmbSession {
  /** The negotiated dialect, e.g. `SMB3_11`. */
  dialect: string;
  /** Every message is integrity-protected with the session key: SMB signing, or SMB3 encryption, which authenticates each message. */
  signed: boolean;
  encrypted: boolean;
}

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
  /** SMB only; absent means SMB_SECURITY_DEFAULT. */
  smbSecurity?: SmbSecurity;
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
  return changedEndpointFields(a, b).length === 0;
}

export const DEFAULT_PORTS: Record<Protocol, number> = { sftp: 22, ftps: 990, smb: 445 };

/** The port a connection uses when none is given: explicit FTPS starts in plain text on 21. */
export function defaultPort(protocol: Protocol, ftpsMode?: FtpsMode): number {
  return protocol === 'ftps' && ftpsMode === 'explicit' ? 21 : DEFAULT_PORTS[protocol];
}

/** What a stored credential was given for: sending it anywhere else needs the credential again. */
export const ENDPOINT_FIELDS = ['protocol', 'host', 'port', 'username', 'domain'] as const;
export type EndpointField = (typeof ENDPOINT_FIELDS)[number];

/** The endpoint fields that differ; host names compare case-insensitively, as DNS does. */
export function changedEndpointFields(before: Pick<ConnectionSettings, EndpointField>, after: Pick<ConnectionSettings, EndpointField>): EndpointField[] {
  return ENDPOINT_FIELDS.filter((field) => {
    if (field === 'host') return before.host.toLowerCase() !== after.host.toLowerCase();
    if (field === 'domain') return (before.domain ?? null) !== (after.domain ?? null);
    return before[field] !== after[field];
  });
}

/** Splits a directory path into segments, accepting `/` and `\`. */
export function directorySegments(directoryPath: string): string[] {
  return directoryPath.split(/[\\/]+/).filter((s) => s.length > 0);
}

export function describeConnection(c: ConnectionSettings): string {
  const dir = c.directoryPath === '' ? '(root)' : c.directoryPath;
  return `${c.protocol.toUpperCase()} ${c.host}:${c.port}, directory ${dir}`;
}
