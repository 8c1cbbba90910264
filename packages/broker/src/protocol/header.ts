/**
 * Request header v1 (all non-flexible requests) and v2 (flexible: adds a tag buffer):
 *   api_key i16 | api_version i16 | correlation_id i32 | client_id nullable string (int16 length) [| tags]
 * Response header v0 = correlation_id i32; v1 adds a tag buffer. ApiVersions always answers with v0.
 */
import type { Reader } from './reader';

export interface RequestHeader {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
}

/** Reads the fixed part of the header (enough to find the API and answer an error). */
export function readRequestHeader(r: Reader): RequestHeader {
  return { apiKey: r.int16(), apiVersion: r.int16(), correlationId: r.int32(), clientId: r.nullableString() };
}
