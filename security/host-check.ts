import { lookup as dnsLookup } from 'node:dns/promises';
import { refusedAddresses, refusedHost, type HostPolicy } from './host-policy';

export type HostCheck =
  | { kind: 'allowed'; /** In the resolver's order; connect to these, not to the name again. */ addresses: string[] }
  | { kind: 'refused'; reason: string }
  | { kind: 'unresolved'; timedOut: boolean; cause?: unknown };

export type Lookup = (host: string) => Promise<string[]>;

const systemLookup: Lookup = async (host) => (await dnsLookup(host, { all: true })).map((entry) => entry.address);

/**
 * Resolves `host` once and checks the name and every address it resolves to against the
 * policy: one refused address refuses the host, since a later lookup may pick that one.
 */
export async function checkHost(host: string, policy: HostPolicy, timeoutMs: number, lookup: Lookup = systemLookup): Promise<HostCheck> {
  const refusedName = refusedHost(host, policy);
  if (refusedName) return { kind: 'refused', reason: refusedName };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  let addresses: string[] | 'timeout';
  try {
    addresses = await Promise.race([lookup(host), timeout]);
  } catch (cause) {
    return { kind: 'unresolved', timedOut: false, cause };
  } finally {
    clearTimeout(timer);
  }
  if (addresses === 'timeout') return { kind: 'unresolved', timedOut: true };
  if (addresses.length === 0) return { kind: 'unresolved', timedOut: false };
  const refused = refusedAddresses(host, addresses, policy);
  return refused ? { kind: 'refused', reason: refused } : { kind: 'allowed', addresses };
}
