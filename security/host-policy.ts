import { isIP } from 'node:net';

/**
 * Which hosts an import may connect to. District file servers live on public and private
 * addresses, so those are allowed. Never allowed: link-local and cloud metadata addresses
 * (a stored password must not be sent there, nor a metadata service probed), and the
 * unspecified address, which reaches this machine. Loopback only where the deployment says so.
 */
export interface HostPolicy {
  /** `ALLOW_LOOPBACK_SOURCES`: on for the start command and tests, off in production. */
  allowLoopback: boolean;
}

interface Range {
  family: 4 | 6;
  bytes: number[];
  bits: number;
  what: string;
  loopback?: true;
}

const LINK_LOCAL = 'a link-local address, where cloud metadata services answer';

function range(cidr: string, what: string, loopback?: true): Range {
  const [address = '', bits = ''] = cidr.split('/');
  const family = isIP(address) as 4 | 6;
  return { family, bytes: family === 4 ? ipv4Bytes(address) : ipv6Bytes(address), bits: Number(bits), what, ...(loopback ? { loopback } : {}) };
}

const IPV4_RANGES: Range[] = [
  range('0.0.0.0/8', 'an unspecified ("this network") address, which reaches this machine'),
  range('127.0.0.0/8', 'a loopback address', true),
  range('169.254.0.0/16', LINK_LOCAL),
  range('100.100.100.200/32', "Alibaba Cloud's metadata address"),
  range('168.63.129.16/32', "Azure's platform (WireServer) address"),
];

const IPV6_RANGES: Range[] = [
  range('::/128', 'the unspecified address, which reaches this machine'),
  range('::1/128', 'a loopback address', true),
  range('fe80::/10', LINK_LOCAL),
  range('fd00:ec2::254/128', "AWS's IPv6 metadata address"),
  range('fd20:ce::254/128', "Google Cloud's IPv6 metadata address"),
];

/**
 * IPv6 forms that reach an IPv4 address: IPv4-mapped (`::ffff:169.254.169.254`, which Node
 * connects to over IPv4) and the NAT64 well-known prefix, which a NAT64 gateway translates.
 * The deprecated IPv4-compatible form (`::a.b.c.d`) is not routed as IPv4 by current stacks.
 */
const IPV4_CARRIERS: Range[] = [range('::ffff:0:0/96', 'IPv4-mapped'), range('64:ff9b::/96', 'NAT64')];

const LOOPBACK_REFUSED = 'and this deployment does not allow loopback sources';
const METADATA_NAMES = new Set(['metadata', 'metadata.google.internal', 'instance-data']);
const LOOPBACK_NAMES = new Set(['localhost', 'ip6-localhost', 'ip6-loopback']);

/** Why `host` (a name or an IP literal) may not be a connection host before any lookup, or undefined. */
export function refusedHost(host: string, policy: HostPolicy): string | undefined {
  if (isIP(host)) return refusedAddresses(host, [host], policy);
  const name = host.toLowerCase().replace(/\.$/, '');
  // AWS also answers instance-data.ec2.internal and instance-data.<region>.compute.internal.
  if (METADATA_NAMES.has(name) || name.startsWith('instance-data.')) return `${host} is a cloud metadata host name`;
  // RFC 6761: every *.localhost name is loopback.
  if (!policy.allowLoopback && (LOOPBACK_NAMES.has(name) || name.endsWith('.localhost'))) return `${host} is a loopback host name, ${LOOPBACK_REFUSED}`;
  return undefined;
}

/** Why connecting to `host` at one of the addresses it resolved to is refused (the first such address), or undefined. */
export function refusedAddresses(host: string, addresses: string[], policy: HostPolicy): string | undefined {
  for (const address of addresses) {
    const what = refusedKind(address, policy);
    if (what) return address === host ? `${host} is ${what}` : `${host} resolves to ${address}, ${what}`;
  }
  return undefined;
}

function refusedKind(address: string, policy: HostPolicy): string | undefined {
  const ip = address.replace(/%.*$/, '');
  if (!isIP(ip)) return 'not an IP address';
  const match = rangeOf(ip);
  if (match?.loopback) return policy.allowLoopback ? undefined : `${match.what}, ${LOOPBACK_REFUSED}`;
  return match?.what;
}

function rangeOf(ip: string): Range | undefined {
  if (isIP(ip) === 4) return IPV4_RANGES.find((r) => inRange(ipv4Bytes(ip), r));
  const bytes = ipv6Bytes(ip);
  const own = IPV6_RANGES.find((r) => inRange(bytes, r));
  if (own) return own;
  const carrier = IPV4_CARRIERS.find((r) => inRange(bytes, r));
  const carried = carrier && IPV4_RANGES.find((r) => inRange(bytes.slice(12), r));
  return carried && { ...carried, what: `${carried.what} (${carrier.what} form)` };
}

function inRange(bytes: number[], r: Range): boolean {
  if (bytes.length !== r.bytes.length) return false;
  for (let bit = 0; bit < r.bits; bit += 8) {
    const i = bit / 8;
    const mask = r.bits - bit >= 8 ? 0xff : (0xff << (8 - (r.bits - bit))) & 0xff;
    if (((bytes[i] ?? 0) & mask) !== ((r.bytes[i] ?? 0) & mask)) return false;
  }
  return true;
}

function ipv4Bytes(address: string): number[] {
  return address.split('.').map(Number);
}

/** The 16 bytes of a valid IPv6 address (isIP said so), including forms ending in a dotted IPv4 address. */
function ipv6Bytes(address: string): number[] {
  const text = address.toLowerCase().replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_all, a, b, c, d) => {
    const hex = (hi: string, lo: string) => ((Number(hi) << 8) | Number(lo)).toString(16);
    return `${hex(a, b)}:${hex(c, d)}`;
  });
  const [left = '', right] = text.split('::');
  const head = left ? left.split(':') : [];
  const tail = right ? right.split(':') : [];
  const groups = right === undefined ? head : [...head, ...Array<string>(8 - head.length - tail.length).fill('0'), ...tail];
  return groups.flatMap((group) => {
    const value = parseInt(group, 16);
    return [value >> 8, value & 0xff];
  });
}
