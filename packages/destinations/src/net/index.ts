/** Network guards for delivery: which targets may be reached, and how long a platform asks us to wait. */
export { assertPublicTarget, pinnedLookup, type PublicTarget, type PublicTargetOptions, type ResolvedAddress, type HostResolver } from './ssrf-guard';
export { blockedRange, embeddedIpv4, type BlockedMatch, type BlockedRangeKind } from './special-ranges';
export { parseIp, parseCidr, inCidr, type IpAddress, type Cidr } from './ip-address';
export { parseRetryAfter, parseHttpDate } from './retry-after';
export { netErrors, type NetErrorCode } from './errors';
