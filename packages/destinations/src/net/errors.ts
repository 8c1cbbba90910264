/**
 * Errors of the network guard. A blocked or malformed target stays blocked until the tenant
 * changes the URL, so only a failed DNS look-up (the resolver may come back) is retriable.
 */
import { defineErrorCodes } from '@stratum/errors';

export const netErrors = defineErrorCodes({
  invalid_url: { retriable: false, description: 'the destination URL does not parse as an absolute URL' },
  unsupported_scheme: { retriable: false, description: 'the destination URL is not http: or https:' },
  ssrf_blocked: {
    retriable: false,
    description: 'the destination host is, or resolves to, a non-public address (private, loopback, link-local, metadata, ...): the request would reach our own network',
  },
  host_not_found: { retriable: false, description: 'the destination host name does not exist (NXDOMAIN) or has no addresses' },
  dns_lookup_failed: { retriable: true, description: 'the DNS look-up of the destination host failed for a reason that may pass (timeout, SERVFAIL)' },
});

export type NetErrorCode = keyof typeof netErrors.codes;
