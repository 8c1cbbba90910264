import { isConnectionError } from '@stratum/db';
import { defineErrorCodes } from '@stratum/errors';

/** Errors of @stratum/tenancy. The CLI maps them to exit codes; the gateway to HTTP statuses. */
export const tenancyErrors = defineErrorCodes({
  invalid_input: { retriable: false, description: 'a name, limit, region, policy, dedup window or tracking plan is not acceptable; the message says which and why' },
  not_found: { retriable: false, description: 'the tenant or source named does not exist' },
  tenancy_unavailable: { retriable: true, description: 'PostgreSQL could not be reached to read or write tenancy data' },
});

/** Runs `work`, turning a PostgreSQL connection failure into tenancy_unavailable (retriable: 503, a stage retry, CLI exit 3). */
export async function guarded<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (isConnectionError(err)) throw tenancyErrors.error('tenancy_unavailable', `cannot ${what}: PostgreSQL is unreachable (${(err as Error).message})`, { cause: err });
    throw err;
  }
}
