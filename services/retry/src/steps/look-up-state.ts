/**
 * Reads what the decision needs to know *now*, once per tenant per chunk: the tenant's
 * destinations (cached, see destination-cache.ts) and, for the records whose destination has a
 * consent purpose or sends SMS, their profiles' current consent and do-not-contact flag — one
 * readCurrentProfiles per tenant, in one read-only snapshot. A failure (PostgreSQL down) fails
 * the chunk, and the runtime pauses the partition and tries it again.
 */
import { withTenant, type Db } from '@stratum/db';
import { readCurrentProfiles, type CurrentProfile } from '@stratum/delivery';
import type { DestinationSummary } from '@stratum/destinations';
import type { DeliveryAttempt } from '@stratum/schemas';
import { batchStep, ok, type Step } from '@stratum/stream';
import { needsProfile } from '../decide';
import type { DestinationCache, TenantDestinations } from '../destination-cache';
import { groupByTenant } from './by-tenant';

export interface RetryCandidate {
  readonly attempt: DeliveryAttempt;
  readonly destination: DestinationSummary | null;
  readonly profile: CurrentProfile | undefined;
}

/** The current state of some of a tenant's profiles, by the id asked for. */
export type ProfileReader = (tenantId: string, profileIds: readonly string[]) => Promise<ReadonlyMap<string, CurrentProfile>>;

export const profilesFromDb =
  (db: Db): ProfileReader =>
  (tenantId, profileIds) =>
    withTenant(db, tenantId, (trx) => readCurrentProfiles(trx, tenantId, profileIds), { mode: 'snapshot' });

const usable = (d: DestinationSummary | undefined): d is DestinationSummary => d !== undefined && d.enabled;

export function lookUpStateStep(deps: { destinations: DestinationCache; readProfiles: ProfileReader }): Step<DeliveryAttempt, RetryCandidate> {
  async function forTenant(tenantId: string, attempts: readonly DeliveryAttempt[]): Promise<Map<DeliveryAttempt, RetryCandidate>> {
    let destinations: TenantDestinations = await deps.destinations.forTenant(tenantId);
    // About to skip for a missing or disabled destination: make sure with a fresh read first.
    if (attempts.some((a) => !usable(destinations.get(a.destinationId)))) destinations = await deps.destinations.fresh(tenantId);
    const profileIds = attempts.filter((a) => {
      const d = destinations.get(a.destinationId);
      return usable(d) && needsProfile(d);
    }).map((a) => a.profileId);
    const profiles = profileIds.length > 0 ? await deps.readProfiles(tenantId, profileIds) : new Map<string, CurrentProfile>();
    return new Map(attempts.map((attempt) => [attempt, { attempt, destination: destinations.get(attempt.destinationId) ?? null, profile: profiles.get(attempt.profileId) }]));
  }

  return batchStep('look-up-state', async (attempts) => {
    const byTenant = groupByTenant(attempts, (a) => a.tenantId);
    const found = await Promise.all([...byTenant].map(([tenantId, list]) => forTenant(tenantId, list)));
    const candidates = new Map<DeliveryAttempt, RetryCandidate>();
    for (const m of found) for (const [a, c] of m) candidates.set(a, c);
    return attempts.map((a) => ok(candidates.get(a)!));
  });
}
