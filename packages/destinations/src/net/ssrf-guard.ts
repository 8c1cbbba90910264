/**
 * SSRF guard for tenant-supplied URLs (webhooks): the request may only reach public addresses.
 *
 * How the delivery service must use it (checking the name is not enough, the connection must be
 * pinned to what was checked, or a DNS-rebinding host answers "public" to us and "127.0.0.1" to
 * the HTTP client a millisecond later):
 *
 *   const target = await assertPublicTarget(url, { allowHosts: config.allowHosts });
 *   const dispatcher = new undici.Agent({ connect: { lookup: pinnedLookup(target) } });
 *   await fetch(target.url, { method, headers, body, dispatcher, redirect: 'manual', signal });
 *
 * - The URL (and so the Host header, TLS SNI and certificate check) keeps the host name; only the
 *   address the socket connects to is pinned.
 * - Never follow redirects: a 3xx is a failure (Standard Webhooks says so too). A followed
 *   redirect would be a new, unchecked target.
 * - Check on every attempt (not once at configuration time): DNS answers change.
 * - Proxies: when all webhook traffic leaves through an egress proxy, the proxy must apply the
 *   same rules; this guard protects the direct path.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import { formatIpv4, inCidr, isIpLiteral, parseCidr, parseIp, type Cidr, type IpAddress } from './ip-address';
import { netErrors } from './errors';
import { blockedRange, embeddedIpv4 } from './special-ranges';

/** One resolved address, as `dns.lookup` returns it. */
export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Resolves a host name to all its addresses (injectable for tests). */
export type HostResolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export interface PublicTargetOptions {
  /**
   * Exceptions, for tests and on-premise tenants: `host:port` (or `host`, any port; IPv6 as
   * `[::1]:8080`) allows that host whatever it resolves to; a CIDR (`10.20.0.0/16`) allows
   * addresses inside it.
   */
  readonly allowHosts?: readonly string[];
  /** Skip the range checks entirely (local development only). */
  readonly allowPrivate?: boolean;
  /** DNS look-up; defaults to `dns.promises.lookup(host, { all: true, verbatim: true })`. */
  readonly lookup?: HostResolver;
}

/** A checked target: connect to `address` while keeping `url` (and its host name) for HTTP and TLS. */
export interface PublicTarget {
  readonly url: URL;
  /** Host name without IPv6 brackets. */
  readonly hostname: string;
  readonly port: number;
  /** Every address the name resolved to; all of them passed. */
  readonly addresses: readonly ResolvedAddress[];
  /** The address to pin the connection to (the first the resolver gave). */
  readonly address: string;
  readonly family: 4 | 6;
}

const defaultResolver: HostResolver = async (hostname) => {
  const answers = await dnsLookup(hostname, { all: true, verbatim: true });
  return answers.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

interface AllowList {
  readonly hosts: ReadonlySet<string>;
  readonly cidrs: readonly Cidr[];
}

function parseAllowList(entries: readonly string[]): AllowList {
  const hosts = new Set<string>();
  const cidrs: Cidr[] = [];
  for (const entry of entries) {
    const cidr = entry.includes('/') ? parseCidr(entry) : null;
    if (cidr !== null) cidrs.push(cidr);
    else hosts.add(entry.toLowerCase());
  }
  return { hosts, cidrs };
}

function hostAllowed(allow: AllowList, hostname: string, port: number): boolean {
  const host = hostname.includes(':') ? `[${hostname}]` : hostname;
  return allow.hosts.has(host) || allow.hosts.has(`${host}:${port}`);
}

function parseTarget(raw: string | URL): URL {
  try {
    return new URL(raw);
  } catch (cause) {
    throw netErrors.error('invalid_url', 'the destination URL does not parse', { cause });
  }
}

async function resolve(hostname: string, lookup: HostResolver): Promise<readonly ResolvedAddress[]> {
  if (isIpLiteral(hostname)) return [{ address: hostname, family: hostname.includes(':') ? 6 : 4 }];
  let answers: readonly ResolvedAddress[];
  try {
    answers = await lookup(hostname);
  } catch (cause) {
    const code = (cause as { code?: unknown } | null)?.code;
    if (code === 'ENOTFOUND' || code === 'ENODATA') {
      throw netErrors.error('host_not_found', `host ${hostname} does not resolve`, { cause, details: { host: hostname } });
    }
    throw netErrors.error('dns_lookup_failed', `DNS look-up of ${hostname} failed`, { cause, details: { host: hostname, dnsCode: code } });
  }
  if (answers.length === 0) throw netErrors.error('host_not_found', `host ${hostname} has no addresses`, { details: { host: hostname } });
  return answers;
}

function describe(ip: IpAddress): string {
  const inner = embeddedIpv4(ip);
  return inner === null ? '' : ` (embeds ${formatIpv4(inner.bytes)})`;
}

/**
 * Checks that `url` is http(s) and that its host is, or resolves only to, public addresses; if ANY
 * address is non-public the target is refused (a name with one public and one private address is
 * still a way in). Throws a `netErrors` error; returns the address to pin the connection to.
 */
export async function assertPublicTarget(url: string | URL, options: PublicTargetOptions = {}): Promise<PublicTarget> {
  const parsed = parseTarget(url);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw netErrors.error('unsupported_scheme', `scheme ${parsed.protocol} is not allowed, only http: and https:`, { details: { scheme: parsed.protocol } });
  }
  const hostname = parsed.hostname.startsWith('[') ? parsed.hostname.slice(1, -1) : parsed.hostname;
  const port = parsed.port === '' ? (parsed.protocol === 'https:' ? 443 : 80) : Number(parsed.port);
  const addresses = await resolve(hostname, options.lookup ?? defaultResolver);
  const allow = parseAllowList(options.allowHosts ?? []);
  const skipChecks = options.allowPrivate === true || hostAllowed(allow, hostname, port);
  for (const resolved of addresses) {
    const ip = parseIp(resolved.address);
    if (ip === null) {
      throw netErrors.error('ssrf_blocked', `host ${hostname} resolved to ${resolved.address}, which is not an IP address`, { details: { host: hostname, address: resolved.address } });
    }
    if (skipChecks || allow.cidrs.some((cidr) => inCidr(ip, cidr))) continue;
    const blocked = blockedRange(ip);
    if (blocked !== null) {
      throw netErrors.error('ssrf_blocked', `host ${hostname} resolves to ${resolved.address}${describe(ip)}, a ${blocked.kind} address (${blocked.range})`, {
        details: { host: hostname, address: resolved.address, kind: blocked.kind, range: blocked.range, via: blocked.via },
      });
    }
  }
  const first = addresses[0]!;
  return { url: parsed, hostname, port, addresses, address: first.address, family: first.family };
}

/**
 * A `lookup` for `net.connect` / undici's `connect` option that always answers the checked
 * address, whatever name is asked, so the socket goes where `assertPublicTarget` looked.
 */
export function pinnedLookup(target: Pick<PublicTarget, 'address' | 'family'>): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all === true) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
}
