/**
 * The tenant admin key (`sk_…`), as `Authorization: Bearer sk_…`, or as the HTTP Basic user name
 * (empty password, or no colon at all) the way Segment-style clients send keys. The key alone
 * decides the tenant: nothing in the path, query or body can name another one.
 */
import { isRetriable } from '@stratum/errors';
import { keyHint, type AdminKeyDirectory, type AdminKeyTenant } from '@stratum/tenancy';
import { apiError, type ApiError } from './errors';

/** Keys are ~35 characters; anything much longer is not one, and is not worth a look-up. */
const MAX_KEY_LENGTH = 256;

/** Seconds a caller should wait before retrying when the key cannot be checked. */
export const RETRY_AFTER_SECONDS = 5;

/** The admin key of an Authorization header, or null when there is none (or another scheme). */
export function adminKeyFromAuthorization(header: string | undefined): string | null {
  if (header === undefined) return null;
  const space = header.indexOf(' ');
  if (space === -1) return null;
  const scheme = header.slice(0, space).toLowerCase();
  const credentials = header.slice(space + 1).trim();
  if (scheme === 'bearer') return credentials === '' ? null : credentials;
  if (scheme !== 'basic') return null;
  const decoded = Buffer.from(credentials, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = colon === -1 ? decoded : decoded.slice(0, colon);
  return user === '' ? null : user;
}

/**
 * The tenant of the request's admin key; 401 `unauthorized` when there is no key or it is unknown,
 * expired or revoked; 503 when PostgreSQL cannot answer (never 401: the key may be fine); 500 for
 * anything else.
 */
export async function authenticate(directory: AdminKeyDirectory, authorization: string | undefined): Promise<AdminKeyTenant | ApiError> {
  const key = adminKeyFromAuthorization(authorization);
  if (key === null) return apiError('unauthorized', 'no admin key: send Authorization: Bearer sk_… (or HTTP Basic with the key as user name)');
  if (key.length > MAX_KEY_LENGTH) return apiError('unauthorized', `the admin key is not valid (longer than ${MAX_KEY_LENGTH} characters)`);
  let tenant: AdminKeyTenant | null;
  try {
    tenant = await directory.tenantForAdminKey(key);
  } catch (err) {
    if (!isRetriable(err)) return apiError('internal_error', 'the admin key could not be checked; retrying is safe', {}, err);
    // The cause (a host name, a driver message) goes to the log, not to the client.
    return apiError('database_unavailable', `cannot check the admin key right now (PostgreSQL unavailable); retry in ${RETRY_AFTER_SECONDS} s`, { retryAfterSeconds: RETRY_AFTER_SECONDS }, err);
  }
  return tenant ?? apiError('unauthorized', `admin key ${keyHint(key)} is unknown, expired or revoked`);
}
