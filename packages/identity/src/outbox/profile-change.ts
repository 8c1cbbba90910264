/**
 * The golden-record snapshot published on profiles.changes: one builder for identity resolution
 * (from what its chunk just wrote) and for operator actions (unmerge, consent changes: from the
 * tables, readProfileChanges), so both publish the same shape.
 */
import type { Knex } from 'knex';
import type { ConsentState, Identifier, IdentifierType, ProfileChange } from '@stratum/schemas';
import type { JsonValue, StoredTrait } from '../survivorship/rules';

export interface ProfileState {
  readonly profileId: string;
  readonly version: number;
  readonly traits: Record<string, JsonValue>;
  /** Survivorship rows, for each trait's provenance; null when not at hand (no provenance published). */
  readonly traitRows: ReadonlyMap<string, StoredTrait> | null;
  readonly identifiers: readonly Identifier[];
  readonly consents: readonly ConsentState[];
  readonly doNotContact: boolean;
  readonly firstSeenAt: number;
  readonly lastSeenAt: number;
}

export interface ChangeContext {
  readonly change: ProfileChange['change'];
  readonly absorbedProfileIds?: readonly string[];
  readonly splitFromProfileId?: string | null;
  /** messageId of the event, or auditId of the operator action. */
  readonly causedBy: string | null;
  readonly changedAt: number;
}

export function profileChangeRecord(tenantId: string, p: ProfileState, c: ChangeContext): ProfileChange {
  return {
    tenantId,
    profileId: p.profileId,
    version: p.version,
    change: c.change,
    traits: JSON.stringify(p.traits),
    traitSources: p.traitRows
      ? [...p.traitRows]
          .filter(([, t]) => t.value !== null)
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([trait, t]) => ({ trait, sourceId: t.sourceId, messageId: t.messageId, eventTimestamp: t.eventTs }))
      : [],
    identifiers: [...p.identifiers],
    consents: [...p.consents],
    doNotContact: p.doNotContact,
    absorbedProfileIds: [...(c.absorbedProfileIds ?? [])],
    splitFromProfileId: c.splitFromProfileId ?? null,
    causedBy: c.causedBy,
    firstSeenAt: p.firstSeenAt,
    lastSeenAt: p.lastSeenAt,
    changedAt: c.changedAt,
  };
}

/** At most this many identifiers travel with a snapshot (the newest): a profile can have thousands of devices. */
export const SNAPSHOT_IDENTIFIERS = 50;

const ms = (column: string) => `(extract(epoch FROM ${column}) * 1000)::bigint`;

/** The profiles' current snapshots, read inside the caller's transaction (after its changes). */
export async function readProfileStates(trx: Knex.Transaction, tenantId: string, profileIds: readonly string[]): Promise<Map<string, ProfileState>> {
  const out = new Map<string, ProfileState>();
  if (profileIds.length === 0) return out;
  const ids = [...profileIds];
  const { rows: profiles } = await trx.raw<{ rows: Array<{ id: string; version: string; traits: Record<string, JsonValue>; do_not_contact: boolean; first_ms: string; last_ms: string }> }>(
    `SELECT id, version, traits, do_not_contact, ${ms('first_seen_at')} AS first_ms, ${ms('last_seen_at')} AS last_ms FROM profiles WHERE tenant_id = ? AND id = ANY(?)`,
    [tenantId, ids],
  );
  const { rows: identifiers } = await trx.raw<{ rows: Array<{ profile_id: string; type: IdentifierType; namespace: string; value_hash: string; value: string | null }> }>(
    `SELECT profile_id, type, namespace, value_hash, value FROM (
       SELECT profile_id, type, namespace, value_hash, value, first_seen_at,
              row_number() OVER (PARTITION BY profile_id ORDER BY first_seen_at DESC, type, value_hash) AS n
       FROM identifiers WHERE tenant_id = ? AND profile_id = ANY(?)) newest
     WHERE n <= ${SNAPSHOT_IDENTIFIERS} ORDER BY profile_id, first_seen_at, type, value_hash`,
    [tenantId, ids],
  );
  const { rows: consents } = await trx.raw<{ rows: Array<{ profile_id: string; purpose: string; status: string; effective_ms: string }> }>(
    `SELECT DISTINCT ON (profile_id, purpose) profile_id, purpose, status, ${ms('effective_at')} AS effective_ms
     FROM consents WHERE tenant_id = ? AND profile_id = ANY(?) ORDER BY profile_id, purpose, effective_at DESC, recorded_at DESC, id DESC`,
    [tenantId, ids],
  );
  const { rows: traitRows } = await trx.raw<{ rows: Array<{ profile_id: string; name: string; value: JsonValue | null; event_ms: string; first_ms: string; source_id: string | null; message_id: string | null }> }>(
    `SELECT profile_id, name, value, ${ms('event_ts')} AS event_ms, ${ms('first_ts')} AS first_ms, source_id, message_id FROM profile_traits WHERE tenant_id = ? AND profile_id = ANY(?)`,
    [tenantId, ids],
  );
  const group = <R extends { profile_id: string }>(rows: readonly R[]) => {
    const m = new Map<string, R[]>();
    for (const r of rows) m.set(r.profile_id, [...(m.get(r.profile_id) ?? []), r]);
    return m;
  };
  const idsOf = group(identifiers);
  const consentsOf = group(consents);
  const traitsOf = group(traitRows);
  for (const p of profiles) {
    out.set(p.id, {
      profileId: p.id,
      version: Number(p.version),
      traits: p.traits,
      traitRows: new Map(
        (traitsOf.get(p.id) ?? []).map((t) => [t.name, { value: t.value, eventTs: Number(t.event_ms), firstTs: Number(t.first_ms), removed: null, sourceId: t.source_id, messageId: t.message_id }]),
      ),
      identifiers: (idsOf.get(p.id) ?? []).map((r) => ({ type: r.type, namespace: r.namespace === '' ? null : r.namespace, value: r.value, valueHash: r.value_hash, path: null })),
      consents: (consentsOf.get(p.id) ?? []).map((r) => ({ purpose: r.purpose, granted: r.status === 'granted', updatedAt: Number(r.effective_ms) })),
      doNotContact: p.do_not_contact,
      firstSeenAt: Number(p.first_ms),
      lastSeenAt: Number(p.last_ms),
    });
  }
  return out;
}
