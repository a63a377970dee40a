import type { z } from 'zod';
import {
  changedEndpointFields,
  defaultPort,
  directorySegments,
  SMB_SECURITY_DEFAULT,
  type ConnectionSecrets,
  type ConnectionSettings,
  type EndpointField,
  type Protocol,
} from '../domain/connection';
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
    port: input.port ?? defaultPort(protocol, input.ftpsMode),
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
 * Secrets are bound to their endpoint: a PATCH that changes protocol, host, port,
 * username or domain must give a password or key again, and then nothing of the old endpoint's survives
 * (no other secret, no trust pin unless the PATCH sets one); without one it is refused with CREDENTIALS_REQUIRED.
 */
export function mergeConnection(current: ConnectionSettings & ConnectionSecrets, patch: ConnectionPatch): ConnectionInput {
  const merged = applyPatch(current, patch);
  const changed = changedEndpointFields(current, endpointOf(merged));
  if (changed.length === 0) return merged;
  if (!patch.password && !patch.privateKey) throw credentialsRequired(changed, secretsNeeded(current, merged));
  const { password: _password, privateKey: _privateKey, passphrase: _passphrase, trust: _trust, ...settings } = current;
  return applyPatch(settings, patch);
}

/** A new protocol drops the old protocol's port and FTPS mode; a new FTPS mode drops the old mode's default port. */
function applyPatch(current: Partial<ConnectionSettings & ConnectionSecrets>, patch: ConnectionPatch): ConnectionInput {
  const merged: Record<string, unknown> = { ...current };
  if (patch.protocol && patch.protocol !== current.protocol) {
    delete merged.port;
    delete merged.ftpsMode;
    delete merged.smbSecurity;
  } else if (current.protocol === 'ftps' && patch.ftpsMode && patch.ftpsMode !== (current.ftpsMode ?? 'implicit') && current.port === defaultPort('ftps', current.ftpsMode)) {
    delete merged.port;
  }
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else if (value !== undefined) merged[key] = value;
  }
  return merged as ConnectionInput;
}

/** Where a merged connection would connect to and as whom, with the port its protocol and mode imply. */
function endpointOf(input: ConnectionInput): Pick<ConnectionSettings, EndpointField> {
  const protocol = checkProtocol(input.protocol);
  return { protocol, host: input.host, port: input.port ?? defaultPort(protocol, input.ftpsMode), username: input.username, domain: input.domain };
}

/** The secret(s) the import logs in with now, as they must be given again: the key (and its passphrase) while it stays SFTP, else the password. */
function secretsNeeded(current: ConnectionSecrets, merged: ConnectionInput): (keyof ConnectionSecrets)[] {
  if (current.privateKey && merged.protocol === 'sftp') return current.passphrase ? ['privateKey', 'passphrase'] : ['privateKey'];
  return ['password'];
}

function credentialsRequired(changed: EndpointField[], needed: (keyof ConnectionSecrets)[]): ApiError {
  const changedFields = changed.map((field) => `connection.${field}`);
  const neededFields = needed.map((field) => `connection.${field}`);
  return new ApiError(
    422,
    'CREDENTIALS_REQUIRED',
    `${changedFields.join(', ')} changed: give ${neededFields.join(' and ')} again; stored credentials are only sent to the server they were given for.`,
    [
      ...neededFields.map((field) => ({ field, message: `required because ${changedFields.join(', ')} changed` })),
      ...changedFields.map((field) => ({ field, message: 'changed' })),
    ],
  );
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
