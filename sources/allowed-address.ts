import type { ConnectionSettings } from '../domain/connection';
import { connectionError } from '../domain/connection-errors';
import { checkHost } from '../security/host-check';
import type { HostPolicy } from '../security/host-policy';

/** Resolves the import's host once and checks it against the address policy; returns the address to connect to. */
export async function allowedAddress(settings: ConnectionSettings, policy: HostPolicy, timeoutMs: number): Promise<string> {
  const check = await checkHost(settings.host, policy, timeoutMs);
  switch (check.kind) {
    case 'allowed':
      return check.addresses[0]!;
    case 'refused':
      throw connectionError('HOST_NOT_ALLOWED', settings, { detail: check.reason });
    case 'unresolved':
      if (check.timedOut) throw connectionError('TIMEOUT', settings, { detail: 'looking up the host name' });
      throw connectionError('HOST_NOT_FOUND', settings, { detail: (check.cause as { code?: string } | undefined)?.code, cause: check.cause });
  }
}
