/**
 * The address ranges a tenant-supplied webhook URL must never reach: everything that is not
 * globally routable unicast. Sources: IANA IPv4 and IPv6 Special-Purpose Address Registries
 * (RFC 6890 and updates), RFC 1918 (private), RFC 6598 (CGNAT), RFC 3927 (link-local), RFC 4193
 * (unique local), RFC 4291 (IPv4-mapped), RFC 6052 (NAT64), RFC 3056 (6to4), RFC 5737 / RFC 3849 /
 * RFC 9637 (documentation), plus the cloud metadata endpoints (169.254.169.254; AWS fd00:ec2::254).
 *
 * Ranges that carry an IPv4 address inside an IPv6 one (IPv4-mapped, NAT64, 6to4) are not blocked
 * as such: the embedded IPv4 address is checked instead, so `::ffff:10.0.0.1` is blocked and
 * `::ffff:8.8.8.8` is not.
 */
import { inCidr, parseCidr, type Cidr, type IpAddress } from './ip-address';

/** Why an address is not public (a metric label and an error detail, so a closed set). */
export type BlockedRangeKind =
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'cgnat'
  | 'link_local'
  | 'metadata'
  | 'unique_local'
  | 'multicast'
  | 'documentation'
  | 'reserved';

interface SpecialRange {
  readonly cidr: Cidr;
  readonly text: string;
  readonly kind: BlockedRangeKind;
}

function range(text: string, kind: BlockedRangeKind): SpecialRange {
  const cidr = parseCidr(text);
  if (cidr === null) throw new Error(`bad built-in range ${text}`);
  return { cidr, text, kind };
}

/** Most specific first: the first match names the range. */
const BLOCKED: readonly SpecialRange[] = [
  range('169.254.169.254/32', 'metadata'),
  range('0.0.0.0/8', 'unspecified'),
  range('10.0.0.0/8', 'private'),
  range('100.64.0.0/10', 'cgnat'),
  range('127.0.0.0/8', 'loopback'),
  range('169.254.0.0/16', 'link_local'),
  range('172.16.0.0/12', 'private'),
  range('192.0.0.0/24', 'reserved'),
  range('192.0.2.0/24', 'documentation'),
  range('192.88.99.0/24', 'reserved'),
  range('192.168.0.0/16', 'private'),
  range('198.18.0.0/15', 'reserved'),
  range('198.51.100.0/24', 'documentation'),
  range('203.0.113.0/24', 'documentation'),
  range('224.0.0.0/4', 'multicast'),
  range('240.0.0.0/4', 'reserved'),
  range('::/128', 'unspecified'),
  range('::1/128', 'loopback'),
  range('::/96', 'reserved'),
  range('64:ff9b:1::/48', 'private'),
  range('100::/64', 'reserved'),
  range('2001::/23', 'reserved'),
  range('2001:db8::/32', 'documentation'),
  range('3fff::/20', 'documentation'),
  range('fd00:ec2::254/128', 'metadata'),
  range('fc00::/7', 'unique_local'),
  range('fe80::/10', 'link_local'),
  range('fec0::/10', 'private'),
  range('ff00::/8', 'multicast'),
];

/** IPv6 ranges whose addresses embed an IPv4 address at `offset`. */
const EMBEDDING: readonly { cidr: Cidr; offset: number }[] = [
  { cidr: parseCidr('::ffff:0:0/96')!, offset: 12 },
  { cidr: parseCidr('64:ff9b::/96')!, offset: 12 },
  { cidr: parseCidr('2002::/16')!, offset: 2 },
];

/** A non-public address: which range it fell in, and the IPv4 address it embeds when that decided it. */
export interface BlockedMatch {
  readonly kind: BlockedRangeKind;
  readonly range: string;
  readonly via: 'direct' | 'embedded_ipv4';
}

/** The IPv4 address an IPv4-mapped, NAT64 or 6to4 address carries, or null for any other address. */
export function embeddedIpv4(ip: IpAddress): IpAddress | null {
  if (ip.family !== 6) return null;
  for (const { cidr, offset } of EMBEDDING) {
    if (inCidr(ip, cidr)) return { family: 4, bytes: ip.bytes.slice(offset, offset + 4) };
  }
  return null;
}

/** The special-purpose range `ip` falls in, or null when it is globally routable unicast. */
export function blockedRange(ip: IpAddress): BlockedMatch | null {
  const inner = embeddedIpv4(ip);
  if (inner !== null) {
    const match = blockedRange(inner);
    return match === null ? null : { ...match, via: 'embedded_ipv4' };
  }
  const hit = BLOCKED.find((r) => inCidr(ip, r.cidr));
  return hit === undefined ? null : { kind: hit.kind, range: hit.text, via: 'direct' };
}
