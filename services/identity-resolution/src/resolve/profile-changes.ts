/**
 * What a chunk publishes on profiles.changes, through the identity outbox (written in the chunk's
 * transaction; the relay publishes it in commit order): a snapshot of each surviving profile whose
 * golden record changed — created, merged into, traits changed, identifiers linked — and a
 * tombstone for each profile merged away. A profile only seen again (an event that changes nothing
 * but its last-seen time) publishes nothing, and its version stays.
 */
import { identifierRecordOf, profileChangeRecord, type OutboxEntry } from '@stratum/identity';
import type { UniqueEvent } from '@stratum/schemas';
import type { ResolutionPlan } from './plan';
import type { ConsentView, ProfileIdentifierRow, ProfileRow } from './store';

/** Surviving profiles whose golden record the plan changes. */
export function changedProfiles(plan: ResolutionPlan): Set<string> {
  const changed = new Set<string>([...plan.newProfiles.keys(), ...plan.merged.values(), ...plan.newIdentifiers.map((i) => i.profileId)]);
  for (const [id, t] of plan.traits) if (t.changed.size > 0) changed.add(id);
  // A survivor may itself be merged away later in the chunk: only final survivors are snapshotted.
  for (const loser of plan.merged.keys()) changed.delete(loser);
  return changed;
}

export interface WrittenProfiles {
  readonly profiles: ReadonlyMap<string, ProfileRow>;
  readonly identifiers: ReadonlyMap<string, ProfileIdentifierRow[]>;
  readonly consents: ReadonlyMap<string, ConsentView[]>;
}

export function profileChangeEntries(tenantId: string, events: readonly UniqueEvent[], plan: ResolutionPlan, written: WrittenProfiles, now: number): OutboxEntry[] {
  const changed = changedProfiles(plan);
  const lastEventOf = new Map<string, string>();
  plan.events.forEach((e, i) => lastEventOf.set(e.profileId, events[i]!.messageId));
  const absorbed = new Map<string, string[]>();
  for (const [loser, survivor] of plan.merged) absorbed.set(survivor, [...(absorbed.get(survivor) ?? []), loser]);

  const entries: OutboxEntry[] = [...plan.merged.keys()].map((loser) => ({ topic: 'profiles.changes', profileId: loser, value: null }));
  for (const profileId of [...changed].sort()) {
    const p = written.profiles.get(profileId);
    if (!p) continue;
    const state = {
      profileId,
      version: p.version,
      traits: p.traits,
      traitRows: plan.traits.get(profileId)?.all ?? null,
      identifiers: (written.identifiers.get(profileId) ?? []).map(identifierRecordOf),
      consents: written.consents.get(profileId) ?? [],
      doNotContact: p.doNotContact,
      firstSeenAt: p.firstSeenAt,
      lastSeenAt: p.lastSeenAt,
    };
    const change = plan.newProfiles.has(profileId) ? 'created' : absorbed.has(profileId) ? 'merged' : 'updated';
    entries.push({
      topic: 'profiles.changes',
      profileId,
      value: profileChangeRecord(tenantId, state, { change, absorbedProfileIds: absorbed.get(profileId) ?? [], causedBy: lastEventOf.get(profileId) ?? null, changedAt: now }),
    });
  }
  return entries;
}
