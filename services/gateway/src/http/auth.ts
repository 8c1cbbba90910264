/**
 * Write keys, the way Segment's SDKs send them: the HTTP Basic user name with an empty password
 * (or no colon at all, which Segment still accepts), or `writeKey` in the JSON body. The key
 * decides the tenant and source; nothing the client claims about either is believed.
 */
import { isRetriable } from '@stratum/errors';
import type { SourceSettings, TenancyDirectory } from '@stratum/tenancy';
import { keyHint } from '@stratum/tenancy';
import { refusal, type Refusal } from './errors';

export const AUTH_CHALLENGE = 'Basic realm="Stratum"';

/** Keys are ~35 characters; anything much longer is not one, and is not worth a look-up. */
const MAX_WRITE_KEY_LENGTH = 256;

/** Seconds a caller should wait before retrying when the directory cannot answer. */
export const DIRECTORY_RETRY_AFTER_SECONDS = 5;

/** The Basic user name of an Authorization header, or null when there is none (or another scheme). */
export function writeKeyFromAuthorization(header: string | undefined): string | null {
  if (header === undefined || header.length < 7 || header.slice(0, 6).toLowerCase() !== 'basic ') return null;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = colon === -1 ? decoded : decoded.slice(0, colon);
  return user === '' ? null : user;
}

/**
 * The source a write key belongs to; 401 for unknown, revoked or disabled; 503 when the directory
 * is unavailable (tenancy_unavailable, or any retriable error), 500 for any other failure.
 */
export async function sourceForWriteKey(directory: TenancyDirectory, writeKey: string): Promise<SourceSettings | Refusal> {
  if (writeKey.length > MAX_WRITE_KEY_LENGTH) return refusal('invalid_write_key', `the write key is not valid (longer than ${MAX_WRITE_KEY_LENGTH} characters)`);
  let source: SourceSettings | null;
  try {
    source = await directory.sourceForWriteKey(writeKey);
  } catch (err) {
    // Not a directory outage (a bug, a bad row): a 500, logged as the error it is.
    if (!isRetriable(err)) return refusal('internal_error', 'the write key could not be checked; retrying is safe', {}, err);
    // The cause (a host name, a driver message) goes to the log, not to the client.
    return refusal(
      'directory_unavailable',
      `cannot check the write key right now (tenancy directory unavailable); retry in ${DIRECTORY_RETRY_AFTER_SECONDS} s`,
      { retryAfterSeconds: DIRECTORY_RETRY_AFTER_SECONDS },
      err,
    );
  }
  if (source === null) return refusal('invalid_write_key', `write key ${keyHint(writeKey)} is unknown or revoked`);
  if (!source.enabled) return refusal('invalid_write_key', `write key ${keyHint(writeKey)} belongs to a disabled source`);
  return source;
}
