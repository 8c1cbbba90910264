/**
 * What a resolved chunk emits in its Kafka transaction, attached to the events that caused it:
 * each event's resolved record and its audit records. Golden-record snapshots and tombstones go
 * through the identity outbox instead (resolve/profile-changes.ts), so they reach the compacted
 * profiles.changes in commit order.
 */
import type { IdentityAudit, ResolvedEvent, UniqueEvent } from '@stratum/schemas';
import type { TenantResolution } from './resolve/resolver';
import { identifierRecordOf, identifierRecordOfKey } from '@stratum/identity';

export interface EventOutputs {
  readonly resolved: ResolvedEvent;
  readonly audits: readonly IdentityAudit[];
}

export function outputsOf(tenantId: string, events: readonly UniqueEvent[], r: TenantResolution, now: number): EventOutputs[] {
  const { plan } = r;
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
      identifiers: a.identifierKeys.map(identifierRecordOfKey),
      provenance: { messageId: a.messageId, sourceId: a.sourceId, eventTimestamp: a.eventTs, rule: a.rule, score: null, tier: 'exact', agreedFields: [], actor: null, reason: a.reason },
      occurredAt: a.occurredAt,
    });
    auditsByMessage.set(a.messageId, list);
    if (a.action === 'merge') mergedBy.set(a.messageId, [...(mergedBy.get(a.messageId) ?? []), ...a.otherProfileIds]);
  }

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
        identifiers: ids.map(identifierRecordOf),
      },
      mergedProfileIds: mergedBy.get(event.messageId) ?? [],
      profileTraits: JSON.stringify(planned.traits),
      consents,
      doNotContact: profile.doNotContact,
      resolvedAt: now,
    };
    return { resolved, audits: auditsByMessage.get(event.messageId) ?? [] };
  });
}
