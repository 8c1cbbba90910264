/**
 * IP addresses as bytes, and CIDR prefixes over them. The SSRF guard needs byte-exact answers
 * ("is this resolved address inside 169.254.0.0/16, or an IPv4-mapped IPv6 form of it?"), and
 * string comparisons get IPv6 wrong (`::1`, `0:0::1` and `0:0:0:0:0:0:0:1` are one address).
 *
 * Grammar accepted (what DNS answers and the WHATWG URL parser produce, nothing looser):
 *   IPv4  = dec-octet "." dec-octet "." dec-octet "." dec-octet   (no leading zeros, no hex)
 *   IPv6  = RFC 4291 text form: up to 8 groups of 1-4 hex digits, one "::", an optional trailing
 *           dotted IPv4, and an optional "%zone" suffix (ignored)
 *   CIDR  = address "/" prefix-length
 */
import { isIP } from 'node:net';

/** An IP address: 4 bytes for IPv4, 16 for IPv6. */
export interface IpAddress {
  readonly family: 4 | 6;
  readonly bytes: Uint8Array;
}

/** A prefix: the first `prefix` bits of `bytes` are fixed. */
export interface Cidr {
  readonly family: 4 | 6;
  readonly bytes: Uint8Array;
  readonly prefix: number;
}

const DEC_OCTET = /^(0|[1-9]\d{0,2})$/;
const HEX_GROUP = /^[0-9a-f]{1,4}$/i;

function parseIpv4(text: string): Uint8Array | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const bytes = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const part = parts[i]!;
    if (!DEC_OCTET.test(part)) return null;
    const value = Number(part);
    if (value > 255) return null;
    bytes[i] = value;
  }
  return bytes;
}

/** The 16-bit groups of one side of a "::", with a trailing dotted IPv4 counted as two groups. */
function ipv6Groups(side: string, mayEndWithIpv4: boolean): number[] | null {
  if (side === '') return [];
  const parts = side.split(':');
  const groups: number[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (mayEndWithIpv4 && i === parts.length - 1 && part.includes('.')) {
      const v4 = parseIpv4(part);
      if (v4 === null) return null;
      groups.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
    } else {
      if (!HEX_GROUP.test(part)) return null;
      groups.push(parseInt(part, 16));
    }
  }
  return groups;
}

function parseIpv6(text: string): Uint8Array | null {
  const zone = text.indexOf('%');
  const address = zone === -1 ? text : text.slice(0, zone);
  const halves = address.split('::');
  if (halves.length > 2) return null;
  let groups: number[];
  if (halves.length === 1) {
    const all = ipv6Groups(halves[0]!, true);
    if (all === null || all.length !== 8) return null;
    groups = all;
  } else {
    const head = ipv6Groups(halves[0]!, false);
    const tail = ipv6Groups(halves[1]!, true);
    if (head === null || tail === null || head.length + tail.length > 7) return null;
    groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  }
  const bytes = new Uint8Array(16);
  groups.forEach((group, i) => {
    bytes[2 * i] = group >> 8;
    bytes[2 * i + 1] = group & 0xff;
  });
  return bytes;
}

/** Parses an IPv4 or IPv6 address (brackets allowed around IPv6), or null when it is not one. */
export function parseIp(text: string): IpAddress | null {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  if (bare.includes(':')) {
    const bytes = parseIpv6(bare);
    return bytes === null ? null : { family: 6, bytes };
  }
  const bytes = parseIpv4(bare);
  return bytes === null ? null : { family: 4, bytes };
}

/** True when `text` is an IP literal rather than a host name (node's own check agrees with ours). */
export function isIpLiteral(text: string): boolean {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  return isIP(bare) !== 0 || parseIp(bare) !== null;
}

/** Parses `address/prefix`, or null when either half is malformed or the prefix is out of range. */
export function parseCidr(text: string): Cidr | null {
  const slash = text.lastIndexOf('/');
  if (slash === -1) return null;
  const ip = parseIp(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (ip === null || !/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = Number(prefixText);
  if (prefix > ip.bytes.length * 8) return null;
  return { family: ip.family, bytes: ip.bytes, prefix };
}

/** Whether `ip` lies inside `cidr` (always false across families). */
export function inCidr(ip: IpAddress, cidr: Cidr): boolean {
  if (ip.family !== cidr.family) return false;
  const whole = Math.floor(cidr.prefix / 8);
  for (let i = 0; i < whole; i++) if (ip.bytes[i] !== cidr.bytes[i]) return false;
  const rest = cidr.prefix % 8;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (ip.bytes[whole]! & mask) === (cidr.bytes[whole]! & mask);
}

/** Dotted-quad text of an IPv4 address (for messages). */
export function formatIpv4(bytes: Uint8Array): string {
  return Array.from(bytes.subarray(0, 4)).join('.');
}
