/**
 * The destination store's refusals as API errors, with the store's words (they name the field, the
 * value and the rule — never a credential, which the store does not quote either). A PostgreSQL
 * outage (destinations_unavailable, retriable) is rethrown: the route handler answers it 503
 * database_unavailable like every other endpoint does.
 */
import { credentialErrors, destinationConfigProblems, destinationErrors, type StoreOptions } from '@stratum/destinations';
import { apiError, type ApiError } from '../http/errors';
import { destinationNotFound } from './destination-param';

/**
 * What every write passes the store: the adapters' check of the type's settings and credentials,
 * so a destination delivery could not use (a bad pixel id, a webhook without a signing secret) is
 * refused when it is configured, not in the dead-letter queue at 3 a.m.
 */
export const STORE_OPTIONS: StoreOptions = { validateSettings: destinationConfigProblems };

/** The body part a store code is about. */
const PART_OF = {
  invalid_destination_name: 'name',
  invalid_settings: 'settings',
  invalid_filters: 'filters',
  invalid_credentials: 'credentials',
  invalid_delivery_policy: 'deliveryPolicy',
} as const;

/** `filters.events[2] must be…` → field `filters.events[2]`, reason `must be…`; else the part and the whole message. */
function fieldAndReason(part: string, message: string): { field: string; reason: string } {
  const at = new RegExp(`^(${part}(?:\\.[A-Za-z0-9_$-]+|\\[\\d+\\])*) (.+)$`, 's').exec(message);
  return at === null ? { field: part, reason: message } : { field: at[1]!, reason: at[2]! };
}

/** The type check's problems (`settings.url: required…`): the first names the field; all are listed. */
function typeCheckRefusal(message: string, problems: readonly string[]): ApiError {
  const first = /^([^:\s]+): (.+)$/s.exec(problems[0] ?? '');
  const details = first === null ? { field: 'settings', reason: message } : { field: first[1]!, reason: first[2]! };
  return apiError('invalid_destination', message, { ...details, problems });
}

const CREDENTIAL_KEYS_MISSING =
  'credentials cannot be stored: this profile API has no credential keys. An operator must set STRATUM_CREDENTIALS_KEYS on it (the same keys as the delivery services, which decrypt them) and restart it';

/** The API error for a store refusal, or null for anything else (the caller rethrows it). */
export function destinationRefusal(err: unknown, destination: string | null): ApiError | null {
  if (credentialErrors.is(err)) {
    if (credentialErrors.is(err, 'credential_keys_missing')) return apiError('credentials_unavailable', CREDENTIAL_KEYS_MISSING, {}, err);
    // A key this service lacks or a ciphertext that does not open: key ids and destination ids go to the log only.
    return apiError('credentials_unavailable', "the destination's stored credentials cannot be opened by this service (its key is not configured here); send new credentials to replace them", {}, err);
  }
  if (!destinationErrors.is(err)) return null;
  switch (err.code) {
    case 'unknown_destination_type':
      return apiError('unknown_destination_type', err.message, { field: 'type', reason: err.message });
    case 'invalid_settings': {
      const problems = err.details['problems'];
      if (Array.isArray(problems)) return typeCheckRefusal(err.message, problems.map(String));
      return apiError('invalid_destination', err.message, fieldAndReason('settings', err.message));
    }
    case 'invalid_destination_name':
    case 'invalid_filters':
    case 'invalid_credentials':
    case 'invalid_delivery_policy':
      return apiError('invalid_destination', err.message, fieldAndReason(PART_OF[err.code], err.message));
    case 'destination_name_taken':
      return apiError('destination_name_taken', err.message, { field: 'name' });
    case 'destination_not_found':
      return destinationNotFound(destination ?? '');
    case 'tenant_not_found':
      // The key's tenant was deleted after the key was checked (it is cached for a few seconds).
      return apiError('unauthorized', 'the tenant of this admin key no longer exists');
    default:
      return null;
  }
}

/** Runs a store call, answering its refusals as values; anything else (an outage, a bug) is thrown on. */
export async function refusing<T>(destination: string | null, work: () => Promise<T>): Promise<T | ApiError> {
  try {
    return await work();
  } catch (err) {
    const refusal = destinationRefusal(err, destination);
    if (refusal === null) throw err;
    return refusal;
  }
}
