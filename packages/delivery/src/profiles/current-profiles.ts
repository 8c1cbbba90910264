/**
 * What delivery must know about a profile *now*, not when the event was resolved: where it was
 * merged to, whether it is on a do-not-contact list, and its current consent per purpose. Consent
 * is re-checked at every attempt (a revocation between resolution and a retry stops the retry),
 * and a merged profile answers with its survivor's state. The transaction must be scoped to the tenant.
 */
import { currentConsentsSql } from '@stratum/identity';
import type { ResolvedEvent } from '@stratum/schemas';
import type { Knex } from 'knex';

export interface CurrentProfile {
  /** The profile the caller asked about. */
  readonly profileId: string;
  /** The live profile it is now part of (itself unless merged); null if it does not exist. */
  readonly survivorId: string | null;
  readonly doNotContact: boolean;
  /** purpose → granted, from the survivor's latest consent per purpose. */
  readonly consents: ReadonlyMap<string, boolean>;
}

export async function readCurrentProfiles(trx: Knex.Transaction, tenantId: string, profileIds: readonly string[]): Promise<Map<string, CurrentProfile>> {
  const asked = [...new Set(profileIds)];
  const out = new Map<string, CurrentProfile>();
  if (asked.length === 0) return out;
  // merged_into always names the final survivor (identity keeps it so), so one hop is enough.
  const { rows } = await trx.raw<{ rows: Array<{ asked: string; survivor: string | null; do_not_contact: boolean | null }> }>(
    `SELECT a.id AS asked, s.id AS survivor, s.do_not_contact
       FROM unnest(?::text[]) AS a(id)
       LEFT JOIN profiles p ON p.tenant_id = ? AND p.id = a.id
       LEFT JOIN profiles s ON s.tenant_id = ? AND s.id = coalesce(p.merged_into, p.id)`,
    [asked, tenantId, tenantId],
  );
  const survivors = [...new Set(rows.flatMap((r) => (r.survivor === null ? [] : [r.survivor])))];
  const consents = new Map<string, Map<string, boolean>>();
  if (survivors.length > 0) {
    const result = await trx.raw<{ rows: Array<{ profile_id: string; purpose: string; status: string }> }>(currentConsentsSql('= ANY(?::text[])'), [tenantId, survivors]);
    for (const c of result.rows) {
      const map = consents.get(c.profile_id) ?? new Map<string, boolean>();
      map.set(c.purpose, c.status === 'granted');
      consents.set(c.profile_id, map);
    }
  }
  for (const r of rows) {
    out.set(r.asked, { profileId: r.asked, survivorId: r.survivor, doNotContact: r.do_not_contact ?? false, consents: (r.survivor && consents.get(r.survivor)) || new Map() });
  }
  return out;
}

/**
 * Consent for `purpose` as delivery judges it, in every stage that does (the adapter's gate, the
 * retry stage), so they agree on every record: opt-in, granted only by a recorded grant. The
 * profile's current state wins; the event's snapshot counts only when the profile is unknown to
 * this database (survivorId null).
 */
export function consentGrantedNow(purpose: string, event: Pick<ResolvedEvent, 'consents'>, profile: CurrentProfile | undefined): boolean {
  if (profile !== undefined && profile.survivorId !== null) return profile.consents.get(purpose) ?? false;
  return event.consents.find((c) => c.purpose === purpose)?.granted ?? false;
}

/** The do-not-contact flag as it stands now; the event's snapshot only for a profile unknown here. */
export function doNotContactNow(event: Pick<ResolvedEvent, 'doNotContact'>, profile: CurrentProfile | undefined): boolean {
  return profile !== undefined && profile.survivorId !== null ? profile.doNotContact : event.doNotContact;
}
