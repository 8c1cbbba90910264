/**
 * The URL a Twilio signature covers is the one Twilio requested, exactly as configured (the
 * StatusCallback the adapter sent, or the number's webhook URL). Behind a load balancer or TLS
 * terminator the gateway sees another scheme and host, so GATEWAY_PUBLIC_URL names the public
 * origin; the path and query are taken as received, since proxies pass those through unchanged.
 */
import type { IncomingHttpHeaders } from 'node:http';

export interface RequestLine {
  /** Path and query as received (express's originalUrl). */
  readonly pathAndQuery: string;
  readonly headers: IncomingHttpHeaders;
  /** Whether the connection to the gateway itself is TLS. */
  readonly encrypted: boolean;
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  return text?.split(',')[0]?.trim();
}

/**
 * `publicUrl` (e.g. https://events.example.com, a path prefix allowed) + path and query; without
 * it, the URL as received: the Host header, and the scheme of X-Forwarded-Proto when a proxy set
 * it (trusting it is safe: it only chooses which URL the signature is checked against).
 */
export function signedUrl(publicUrl: string | null, request: RequestLine): string {
  if (publicUrl !== null) return publicUrl.replace(/\/+$/, '') + request.pathAndQuery;
  const forwarded = firstHeader(request.headers['x-forwarded-proto'])?.toLowerCase();
  const scheme = forwarded === 'https' || forwarded === 'http' ? forwarded : request.encrypted ? 'https' : 'http';
  return `${scheme}://${request.headers.host ?? ''}${request.pathAndQuery}`;
}

/** The query parameter `name` of a path-and-query, or undefined. */
export function queryParameter(pathAndQuery: string, name: string): string | undefined {
  const query = pathAndQuery.indexOf('?');
  if (query === -1) return undefined;
  return new URLSearchParams(pathAndQuery.slice(query + 1)).get(name) ?? undefined;
}
