/**
 * Content-Encoding of request bodies: gzip (what the RudderStack node SDK sends by default),
 * deflate and br. Inflating is synchronous and stops at the body limit (zlib's
 * maxOutputLength), so a zip bomb costs at most `limit` bytes and about a millisecond; a
 * truncated or corrupt stream is the client's error (400), never ours.
 */
import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync, type ZlibOptions } from 'node:zlib';
import { refusal, type Refusal } from './errors';

export const SUPPORTED_ENCODINGS = ['gzip', 'deflate', 'br', 'identity'] as const;

type Coding = 'gzip' | 'deflate' | 'br';

const ALIASES: Readonly<Record<string, Coding | 'identity'>> = { gzip: 'gzip', 'x-gzip': 'gzip', deflate: 'deflate', br: 'br', identity: 'identity' };

/** The codings to undo, in the order they were applied, or a 415 refusal. */
export function parseContentEncoding(header: string | undefined): Coding[] | Refusal {
  if (header === undefined || header === '') return [];
  const codings: Coding[] = [];
  for (const token of header.split(',')) {
    const name = token.trim().toLowerCase();
    const coding = ALIASES[name];
    if (coding === undefined) {
      return refusal('unsupported_encoding', `Content-Encoding "${header.slice(0, 64)}" is not supported; use gzip, deflate, br or identity`, {
        encoding: header.slice(0, 64),
      });
    }
    if (coding !== 'identity') codings.push(coding);
  }
  return codings;
}

function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function inflateOnce(body: Buffer, coding: Coding, options: ZlibOptions): Buffer {
  switch (coding) {
    case 'gzip':
      return gunzipSync(body, options);
    case 'br':
      return brotliDecompressSync(body, options);
    case 'deflate':
      try {
        return inflateSync(body, options);
      } catch (err) {
        // HTTP's "deflate" is zlib-wrapped (RFC 9110), but some clients send raw deflate.
        if (errorCode(err) === 'Z_DATA_ERROR') return inflateRawSync(body, options);
        throw err;
      }
  }
}

/** Undoes `codings` (applied in order) with every intermediate result capped at `limit` bytes. */
export function decompress(body: Buffer, codings: readonly Coding[], limit: number): Buffer | Refusal {
  let current = body;
  for (let i = codings.length - 1; i >= 0; i--) {
    const coding = codings[i]!;
    try {
      current = inflateOnce(current, coding, { maxOutputLength: limit + 1 });
    } catch (err) {
      if (errorCode(err) === 'ERR_BUFFER_TOO_LARGE') {
        return refusal('batch_too_large', `request body inflates (${coding}) to more than ${limit} bytes; the limit is ${limit} bytes`, {
          limit,
          size: limit + 1,
          sizeIsLowerBound: true,
        });
      }
      // zlib's errors come from Node's realm (not `instanceof Error` under jest's vm): read the field.
      const message = (err as { message?: unknown } | null)?.message;
      const reason = typeof message === 'string' ? message : String(err);
      return refusal('invalid_compression', `request body is not valid ${coding} data: ${reason}`, { encoding: coding });
    }
    if (current.length > limit) {
      return refusal('batch_too_large', `request body inflates to ${current.length} bytes; the limit is ${limit} bytes`, { limit, size: current.length });
    }
  }
  return current;
}
