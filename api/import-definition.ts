import type { z } from 'zod';
import { DEFAULT_PORTS, directorySegments, SMB_SECURITY_DEFAULT, type ConnectionSecrets, type ConnectionSettings, type Protocol } from '../domain/connection';
import type { StoredImport } from '../db/queries/imports';
import { SECRET_FIELDS } from '../security/connection-secrets';
import { ApiError } from './errors';
import type { connectionBody, connectionPatch } from './schemas';

/** Protocols this build can reach; the others are refused before anything is stored. */
export const SUPPORTED_PROTOCOLS: readonly Protocol[] = ['sftp', 'ftps', 'smb'];

type ConnectionInput = z.infer<typeof connectionBody>;
type ConnectionPatch = z.infer<typeof connectionPatch>;

function invalid(field: string, message: string, code = 'VALIDATION_FAILED'): ApiError {
  return new ApiError(422, code, `${field}: ${message}`, [{ field, message }]);
}

function checkProtocol(protocol: string): Protocol {
  if (protocol === 'sftp-legacy') {
    throw invalid('connection.protocol', 'SFTP Legacy is not supported; use "sftp", which works with the same servers', 'PROTOCOL_NOT_SUPPORTED');
  }
  if (!(SUPPORTED_PROTOCOLS as readonly string[]).includes(protocol)) {
    throw invalid('connection.protocol', `must be one of ${SUPPORTED_PROTOCOLS.join(', ')}`, 'PROTOCOL_NOT_SUPPORTED');
  }
  return protocol as Protocol;
}

/** Splits a validated connection body into stored settings and secrets, applying the cross-field rules. */
export function splitConnection(input: ConnectionInput): { settings: ConnectionSettings; secrets: ConnectionSecrets } {
  const protocol = checkProtocol(input.protocol);
  if (input.ftpsMode && protocol !== 'ftps') throw invalid('connection.ftpsMode', 'applies to FTPS connections only');
  if (input.smbSecurity && protocol !== 'smb') throw invalid('connection.smbSecurity', 'applies to SMB connections only');
  if ((input.privateKey || input.passphrase) && protocol !== 'sftp') throw invalid('connection.privateKey', 'key login applies to SFTP connections only');
  if (input.passphrase && !input.privateKey) throw invalid('connection.passphrase', 'a passphrase needs a privateKey');
  if (!input.password && !input.privateKey) throw invalid('connection.password', 'give a password (or, for SFTP, a privateKey)');
  if (input.privateKey && !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(input.privateKey)) {
    throw invalid('connection.privateKey', 'must be a PEM or OpenSSH private key ("-----BEGIN ... PRIVATE KEY-----")');
  }
  if (protocol === 'smb' && directorySegments(input.directoryPath).length === 0) {
    throw invalid('connection.directoryPath', 'for SMB the first segment is the share name, e.g. "ScheduledImports\\Eligibility"');
  }
  const settings: ConnectionSettings = {
    protocol,
    host: input.host,
    port: input.port ?? (protocol === 'ftps' && input.ftpsMode === 'explicit' ? 21 : DEFAULT_PORTS[protocol]),
    username: input.username,
    directoryPath: input.directoryPath,
    ...(input.domain ? { domain: input.domain } : {}),
    ...(protocol === 'ftps' ? { ftpsMode: input.ftpsMode ?? 'implicit' } : {}),
    ...(protocol === 'smb' ? { smbSecurity: input.smbSecurity ?? SMB_SECURITY_DEFAULT } : {}),
    ...(input.trust ? { trust: input.trust } : {}),
  };
  const secrets: ConnectionSecrets = {};
  for (const key of SECRET_FIELDS) if (input[key]) secrets[key] = input[key];
  return { settings, secrets };
}

/**
 * Applies a PATCH to a stored connection (settings and secrets): an absent field is kept, null clears it,
 * a value replaces it. A new protocol drops the old protocol's default port, FTPS mode and SMB security.
 */
export function mergeConnection(current: ConnectionSettings & ConnectionSecrets, patch: ConnectionPatch): ConnectionInput {
  const merged: Record<string, unknown> = { ...current };
  if (patch.protocol && patch.protocol !== current.protocol) {
    delete merged.port;
    delete merged.ftpsMode;
    delete merged.smbSecurity;
  }
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else if (value !== undefined) merged[key] = value;
  }
  return merged as ConnectionInput;
}

/** The public view: settings and which secrets are set, never their values. */
export function presentImport(imp: StoredImport) {
  const c = imp.connection;
  return {
    id: imp.id,
    name: imp.name,
    kind: imp.kind,
    active: imp.active,
    mappingId: imp.mappingId,
    connection: {
      protocol: c.protocol,
      host: c.host,
      port: c.port,
      username: c.username,
      domain: c.domain ?? null,
      directoryPath: c.directoryPath,
      ...(c.protocol === 'ftps' ? { ftpsMode: c.ftpsMode ?? 'implicit' } : {}),
      ...(c.protocol === 'smb' ? { smbSecurity: c.smbSecurity ?? SMB_SECURITY_DEFAULT } : {}),
      trust: c.trust ?? null,
      passwordSet: imp.secretFields.includes('password'),
      privateKeySet: imp.secretFields.includes('privateKey'),
      passphraseSet: imp.secretFields.includes('passphrase'),
    },
    schedule: imp.schedule,
    notify: imp.notify,
    createdAt: imp.createdAt,
    updatedAt: imp.updatedAt,
  };
}
