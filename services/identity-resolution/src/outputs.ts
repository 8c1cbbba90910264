/**
 * What a resolved chunk writes, attached to the events that caused it so the runtime's per-record
 * emission carries it: each event's resolved record and its audit records; each touched profile's
 * golden-record snapshot (profiles.changes) after the last event of the chunk that touched it; a
 * tombstone for each profile an event merged away (the compacted topic forgets it).
 */
import type { Identifier, IdentityAudit, ProfileChange, ResolvedEvent, UniqueEvent } from '@stratum/schemas';
import type { TenantResolution } from './resolve/resolver';
import { parseIdentifierKey } from '@stratum/identity';
import type { ProfileIdentifierRow } from './resolve/store';

export interface EventOutputs {
  readonly resolved: ResolvedEvent;
  readonly changes: readonly ProfileChange[];
  /** Profile ids merged away by this event: tombstones on profiles.changes. */
  readonly tombstones: readonly string[];
  readonly audits: readonly IdentityAudit[];
}

const identifierOf = (r: ProfileIdentifierRow): Identifier => ({ type: r.type, namespace: r.namespace === '' ? null : r.namespace, value: r.value, valueHash: r.valueHash, path: null });
/** Audit rows keep identifier keys (hashes): the value travels only in the profile's own identifier list. */
function identifierOfKey(key: string): Identifier {
  const ref = parseIdentifierKey(key);
  return { type: ref.type, namespace: ref.namespace === '' ? null : ref.namespace, value: null, valueHash: ref.valueHash, path: null };
}

export function outputsOf(tenantId: string, events: readonly UniqueEvent[], r: TenantResolution, now: number): EventOutputs[] {
  const { plan } = r;
  const lastEventOf = new Map<string, number>();
  plan.events.forEach((e, i) => lastEventOf.set(e.profileId, i));
  const auditsByMessage = new Map<string, IdentityAudit[]>();
  // From the stored audit, not the plan: a replayed chunk re-emits the merges its first attempt made.
  const mergedBy = new Map<string, string[]>();
  for (const a of r.audits) {
    const list = auditsByMessage.get(a.messageId) ?? [];
    list.push({
      auditId: a.id,
      tenantId,
      action: a.action,
      profileId: a.profileId,
      otherProfileIds: a.otherProfileIds,
      identifiers: a.identifierKeys.map(identifierOfKey),
      provenance: { messageId: a.messageId, sourceId: a.sourceId, eventTimestamp: a.eventTs, rule: a.rule, score: null, tier: 'exact', agreedFields: [], actor: null, reason: a.reason },
      occurredAt: a.occurredAt,
    });
    auditsByMessage.set(a.messageId, list);
    if (a.action === 'merge') mergedBy.set(a.messageId, [...(mergedBy.get(a.messageId) ?? []), ...a.otherProfileIds]);
  }
  const absorbed = new Map<string, string[]>();
  for (const [loser, survivor] of plan.merged) absorbed.set(survivor, [...(absorbed.get(survivor) ?? []), loser]);

  return events.map((event, i) => {
    const planned = plan.events[i]!;
    const profileId = planned.profileId;
    const profile = r.profiles.get(profileId)!;
    const ids = r.identifiers.get(profileId) ?? [];
    const consents = r.consents.get(profileId) ?? [];
    const first = (type: string) => ids.find((x) => x.type === type) ?? null;
    const resolved: ResolvedEvent = {
      ...event,
      profileId,
      canonical: {
        userId: first('user_id')?.value ?? null,
        anonymousId: event.anonymousId ?? [...ids].reverse().find((x) => x.type === 'anonymous_id')?.value ?? null,
        emailHash: first('email')?.valueHash ?? null,
        phoneHash: first('phone')?.valueHash ?? null,
        identifiers: ids.map(identifierOf),
      },
      mergedProfileIds: mergedBy.get(event.messageId) ?? [],
      profileTraits: JSON.stringify(planned.traits),
      consents,
      doNotContact: profile.doNotContact,
      resolvedAt: now,
    };
    const changes: ProfileChange[] = [];
    if (lastEventOf.get(profileId) === i) {
      const traits = plan.traits.get(profileId);
      changes.push({
        tenantId,
        profileId,
        version: profile.version,
        change: plan.newProfiles.has(profileId) ? 'created' : absorbed.has(profileId) ? 'merged' : 'updated',
        traits: JSON.stringify(profile.traits),
        traitSources: traits
          ? [...traits.all]
              .filter(([, t]) => t.value !== null)
              .sort(([a], [b]) => (a < b ? -1 : 1))
              .map(([trait, t]) => ({ trait, sourceId: t.sourceId, messageId: t.messageId, eventTimestamp: t.eventTs }))
          : [],
        identifiers: ids.map(identifierOf),
        consents,
        doNotContact: profile.doNotContact,
        absorbedProfileIds: absorbed.get(profileId) ?? [],
        splitFromProfileId: null,
        causedBy: event.messageId,
        firstSeenAt: profile.firstSeenAt,
        lastSeenAt: profile.lastSeenAt,
        changedAt: now,
      });
    }
    return { resolved, changes, tombstones: mergedBy.get(event.messageId) ?? [], audits: auditsByMessage.get(event.messageId) ?? [] };
  });
}
