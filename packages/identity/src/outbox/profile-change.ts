/**
 * The golden-record snapshot published on profiles.changes: one builder for identity resolution
 * (from what its chunk just wrote) and for operator actions (unmerge, consent changes: from the
 * tables, readProfileChanges), so both publish the same shape.
 */
import type { Knex } from 'knex';
import { epochMs, TENANT_ID } from '@stratum/db';
import type { ConsentState, Identifier, IdentifierType, ProfileChange } from '@stratum/schemas';
import { identifierRecordOf } from '../identifier-key';
import type { JsonValue, StoredTrait } from '../survivorship/rules';
import { consentStateOf, currentConsentsSql, newestIdentifiersSql } from './snapshot-sql';

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

/** The profiles' current snapshots, read inside the caller's transaction (after its changes). */
export async function readProfileStates(trx: Knex.Transaction, tenantId: string, profileIds: readonly string[]): Promise<Map<string, ProfileState>> {
  const out = new Map<string, ProfileState>();
  if (profileIds.length === 0) return out;
  const ids = [...profileIds];
  const { rows: profiles } = await trx.raw<{ rows: Array<{ id: string; version: string; traits: Record<string, JsonValue>; do_not_contact: boolean; first_ms: string; last_ms: string }> }>(
    `SELECT id, version, traits, do_not_contact, ${epochMs('first_seen_at')} AS first_ms, ${epochMs('last_seen_at')} AS last_ms FROM profiles WHERE tenant_id = ${TENANT_ID} AND id = ANY(?)`,
    [tenantId, ids],
  );
  const { rows: identifiers } = await trx.raw<{ rows: Array<{ profile_id: string; type: IdentifierType; namespace: string; value_hash: string; value: string | null }> }>(
    `${newestIdentifiersSql('= ANY(?)')} ORDER BY profile_id, first_ms, type, value_hash`,
    [tenantId, ids],
  );
  const { rows: consents } = await trx.raw<{ rows: Array<{ profile_id: string; purpose: string; status: string; effective_ms: string }> }>(currentConsentsSql('= ANY(?)'), [tenantId, ids]);
  const { rows: traitRows } = await trx.raw<{ rows: Array<{ profile_id: string; name: string; value: JsonValue | null; event_ms: string; first_ms: string; source_id: string | null; message_id: string | null }> }>(
    `SELECT profile_id, name, value, ${epochMs('event_ts')} AS event_ms, ${epochMs('first_ts')} AS first_ms, source_id, message_id FROM profile_traits WHERE tenant_id = ${TENANT_ID} AND profile_id = ANY(?)`,
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
      identifiers: (idsOf.get(p.id) ?? []).map((r) => identifierRecordOf({ ...r, valueHash: r.value_hash })),
      consents: (consentsOf.get(p.id) ?? []).map(consentStateOf),
      doNotContact: p.do_not_contact,
      firstSeenAt: Number(p.first_ms),
      lastSeenAt: Number(p.last_ms),
    });
  }
  return out;
}
