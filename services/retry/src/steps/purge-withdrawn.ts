/**
 * A consent denied or withdrawn empties the profile's per-key order queues (purgeQueuedForProfile):
 * events of ordered destinations parked behind a failed head must not wait for a send that consent
 * no longer allows. Grants, changes without a profile (an SMS STOP from a number no profile has:
 * nothing can be queued under a profile for it) and purposes none of the tenant's destinations asks
 * consent for are dropped with their reason.
 *
 * Why the purpose check: purgeQueuedForProfile empties the profile's queues of *every* destination,
 * so a withdrawal that no destination's consent depends on (say `analytics`, when nothing filters
 * on it) would otherwise discard queued CRM updates that are still allowed. The destinations are
 * read fresh: consent changes are rare, and a stale list could miss a purpose just configured.
 *
 * A withdrawal the profile has granted again since (the consent's current state, read in the same
 * transaction) purges nothing (`granted_since`): consents.changes is kept forever and a new consumer
 * group reads it from the beginning, where an old withdrawal must not empty today's queues.
 * One transaction per tenant per chunk; purging twice (a replayed chunk) deletes nothing more.
 */
import { withTenant, type Db } from '@stratum/db';
import { purgeQueuedForProfile, readCurrentProfiles } from '@stratum/delivery';
import type { ConsentChange } from '@stratum/schemas';
import { batchStep, drop, ok, type StepResult, type Step } from '@stratum/stream';
import type { DestinationCache } from '../destination-cache';
import type { RetryMetrics } from '../metrics';
import { groupByTenant } from './by-tenant';

export const PURGE_SKIP_REASONS = { granted: 'consent_granted', noProfile: 'no_profile', purposeUnused: 'purpose_not_required', grantedSince: 'granted_since' } as const;

export interface PurgedProfile {
  readonly change: ConsentChange;
  readonly purged: number;
}

export function purgeWithdrawnStep(deps: { db: Db; destinations: DestinationCache; metrics: RetryMetrics }): Step<ConsentChange, PurgedProfile> {
  return batchStep('purge-withdrawn', async (changes) => {
    const results: StepResult<PurgedProfile>[] = new Array(changes.length);
    const withdrawals: number[] = [];
    changes.forEach((c, i) => {
      if (c.status === 'granted') results[i] = drop(PURGE_SKIP_REASONS.granted);
      else if (c.profileId === null) results[i] = drop(PURGE_SKIP_REASONS.noProfile);
      else withdrawals.push(i);
    });
    const byTenant = groupByTenant(withdrawals, (i) => changes[i]!.tenantId);
    for (const [tenantId, indexes] of byTenant) {
      const purposes = new Set([...(await deps.destinations.fresh(tenantId)).values()].flatMap((d) => (d.filters.consentPurpose === undefined ? [] : [d.filters.consentPurpose])));
      const toPurge = indexes.filter((i) => purposes.has(changes[i]!.purpose));
      for (const i of indexes) if (!purposes.has(changes[i]!.purpose)) results[i] = drop(PURGE_SKIP_REASONS.purposeUnused);
      if (toPurge.length === 0) continue;
      const purged = await withTenant(deps.db, tenantId, async (trx) => {
        const current = await readCurrentProfiles(trx, tenantId, toPurge.map((i) => changes[i]!.profileId!));
        const counts = new Map<number, number | null>();
        for (const i of toPurge) {
          const { profileId, purpose } = changes[i]!;
          counts.set(i, current.get(profileId!)?.consents.get(purpose) === true ? null : await purgeQueuedForProfile(trx, tenantId, profileId!));
        }
        return counts;
      });
      for (const [i, rows] of purged) {
        if (rows === null) {
          results[i] = drop(PURGE_SKIP_REASONS.grantedSince);
          continue;
        }
        deps.metrics.purged(rows);
        results[i] = ok({ change: changes[i]!, purged: rows });
      }
    }
    return results;
  });
}
