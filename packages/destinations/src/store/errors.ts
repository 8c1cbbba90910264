/** Errors of the destination store. The CLI maps invalid input to exit 2, not found to 4, unavailable to 3. */
import { isConnectionError } from '@stratum/db';
import { defineErrorCodes } from '@stratum/errors';

export const destinationErrors = defineErrorCodes({
  unknown_destination_type: { retriable: false, description: 'the type is not one of the adapters (webhook, meta_capi, ga4, tiktok, twilio_sms, pipedrive)' },
  invalid_destination_name: { retriable: false, description: 'the name is not 1-63 letters, digits, space, ".", "_" or "-", or starts with "dst_" (reserved for ids)' },
  destination_name_taken: { retriable: false, description: 'the tenant already has a destination with this name (any case)' },
  invalid_settings: { retriable: false, description: 'settings are not a JSON object, look like they hold a secret, are too large, or the type check refused them' },
  invalid_filters: { retriable: false, description: 'filters are not { events?, excludeEvents?, consentPurpose? } with non-empty names, or include and exclude the same event' },
  invalid_credentials: { retriable: false, description: 'credentials are not a non-empty JSON object of at most 16 KiB' },
  invalid_delivery_policy: { retriable: false, description: 'maxAttempts is not 1-100 or maxAgeSeconds not 60 s to 7 days' },
  destination_not_found: { retriable: false, description: 'the tenant has no destination with this id or name' },
  tenant_not_found: { retriable: false, description: 'the tenant does not exist' },
  destinations_unavailable: { retriable: true, description: 'PostgreSQL could not be reached to read or write destinations' },
});

/** Runs `work`, turning a PostgreSQL connection failure into destinations_unavailable (retriable). */
export async function guarded<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (isConnectionError(err)) throw destinationErrors.error('destinations_unavailable', `cannot ${what}: PostgreSQL is unreachable (${(err as Error).message})`, { cause: err });
    throw err;
  }
}
