/**
 * From a unique event to what the planner needs: its identifiers keyed (alias previousId may name
 * a userId or an anonymousId: both keys are tried, userId first), its event time, and for
 * identify calls the top-level traits (a JSON null removes a trait).
 */
import { identifierKey, refOf, type JsonValue } from '@stratum/identity';
import type { UniqueEvent } from '@stratum/schemas';
import type { PlanEvent, PlanIdentifier } from './plan';

export function planEventOf(event: UniqueEvent): PlanEvent {
  const identifiers: PlanIdentifier[] = event.identifiers.map((id) => {
    const ref = refOf(id);
    const planned: PlanIdentifier = { key: identifierKey(ref), ref, value: id.value };
    if (event.type === 'alias' && id.path === 'previousId') {
      return { ...planned, alternatives: [identifierKey({ ...ref, type: 'user_id' }), identifierKey({ ...ref, type: 'anonymous_id' })] };
    }
    return planned;
  });
  return {
    messageId: event.messageId,
    sourceId: event.sourceId,
    type: event.type,
    eventTs: event.timestamp,
    identifiers,
    traits: event.type === 'identify' ? (JSON.parse(event.traits) as Record<string, JsonValue | null>) : null,
  };
}

/** Every key the chunk may find existing identifiers under (alternatives included). */
export function lookupKeys(events: readonly PlanEvent[]): string[] {
  const keys = new Set<string>();
  for (const e of events) for (const id of e.identifiers) for (const k of [id.key, ...(id.alternatives ?? [])]) keys.add(k);
  return [...keys].sort();
}
