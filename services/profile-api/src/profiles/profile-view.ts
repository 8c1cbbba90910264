/**
 * A profile as the API shows it: the golden record (traits, flags, version, seen-at span), its
 * identifiers (email and phone only as hashes: their cleartext is never stored), its current
 * consents, and the ids of the profiles merged into it. Timestamps are ISO-8601 UTC.
 */
import type { IdentifierType } from '@stratum/schemas';
import type { Knex } from 'knex';
import { currentConsents, type ConsentView } from './consents';
import type { ProfileRow } from './find-profile';

/** Identifiers and merged ids shown per profile at most; the rest is flagged, not silently cut. */
export const MAX_LISTED = 1000;

export interface IdentifierView {
  readonly type: IdentifierType;
  /** external_id and device_id: the system or device kind (salesforce, ios_idfa…); null for the others. */
  readonly namespace: string | null;
  /** Cleartext for user_id, anonymous_id, device_id, external_id; null for email and phone. */
  readonly value: string | null;
  readonly valueHash: string;
  readonly firstSeenAt: string;
}

export interface ProfileView {
  readonly id: string;
  readonly status: 'active' | 'merged';
  readonly traits: Record<string, unknown>;
  readonly identifiers: IdentifierView[];
  /** True when the profile has more than MAX_LISTED identifiers (the oldest are listed). */
  readonly identifiersTruncated: boolean;
  readonly consents: ConsentView[];
  readonly doNotContact: boolean;
  readonly version: number;
  readonly firstSeenAt: string;
  readonly lastSeenAt: string;
  /** Profiles merged into this one (their ids still find it). */
  readonly mergedProfileIds: string[];
  readonly mergedProfileIdsTruncated: boolean;
}

/** The ids of every profile merged into `profileId` (merged_into names the final survivor). */
export async function mergedProfileIds(trx: Knex.Transaction, tenantId: string, profileId: string, limit?: number): Promise<string[]> {
  const { rows } = await trx.raw<{ rows: Array<{ id: string }> }>(
    `SELECT id FROM profiles WHERE tenant_id = ? AND merged_into = ? ORDER BY id${limit === undefined ? '' : ' LIMIT ?'}`,
    limit === undefined ? [tenantId, profileId] : [tenantId, profileId, limit],
  );
  return rows.map((r) => r.id);
}

async function identifiersOf(trx: Knex.Transaction, tenantId: string, profileId: string): Promise<IdentifierView[]> {
  const { rows } = await trx.raw<{ rows: Array<{ type: IdentifierType; namespace: string; value: string | null; value_hash: string; first_seen_at: Date }> }>(
    `SELECT type, namespace, value, value_hash, first_seen_at FROM identifiers
     WHERE tenant_id = ? AND profile_id = ?
     ORDER BY first_seen_at, type, namespace, value_hash LIMIT ?`,
    [tenantId, profileId, MAX_LISTED + 1],
  );
  return rows.map((r) => ({
    type: r.type,
    namespace: r.namespace === '' ? null : r.namespace,
    // Never shown for email and phone, whatever a row holds.
    value: r.type === 'email' || r.type === 'phone' ? null : r.value,
    valueHash: r.value_hash,
    firstSeenAt: r.first_seen_at.toISOString(),
  }));
}

/** The full view of a profile row (its identifiers, consents and merged ids are read here). */
export async function profileView(trx: Knex.Transaction, tenantId: string, row: ProfileRow): Promise<ProfileView> {
  const identifiers = await identifiersOf(trx, tenantId, row.id);
  const consents = await currentConsents(trx, tenantId, row.id);
  const merged = await mergedProfileIds(trx, tenantId, row.id, MAX_LISTED + 1);
  return {
    id: row.id,
    status: row.status,
    traits: row.traits,
    identifiers: identifiers.slice(0, MAX_LISTED),
    identifiersTruncated: identifiers.length > MAX_LISTED,
    consents,
    doNotContact: row.do_not_contact,
    version: Number(row.version),
    firstSeenAt: row.first_seen_at.toISOString(),
    lastSeenAt: row.last_seen_at.toISOString(),
    mergedProfileIds: merged.slice(0, MAX_LISTED),
    mergedProfileIdsTruncated: merged.length > MAX_LISTED,
  };
}
