/**
 * A profile's traits recomputed from the event archive: every identify event's traits folded by
 * the tenant's survivorship rules, the trait rows replaced, the golden record rewritten. Used
 * where the stored state cannot answer — after an unmerge splits a profile, and when a late
 * removal left a trait `stale` under a rule other than latest (rules.ts).
 */
import type { Knex } from 'knex';
import type { IdentitySettings } from '../settings';
import { applyTraitUpdate, goldenTraits, ruleFor, type JsonValue, type StoredTrait } from './rules';
import { upsertTraitRows } from './trait-rows';

export interface RebuiltProfile {
  readonly traits: Record<string, JsonValue>;
  readonly all: ReadonlyMap<string, StoredTrait>;
  readonly version: number;
  /** Event-time span of the profile's archived events, or null when it has none. */
  readonly span: readonly [number, number] | null;
}

export async function rebuildTraits(trx: Knex.Transaction, tenantId: string, profileId: string, settings: IdentitySettings): Promise<RebuiltProfile> {
  const { rows: events } = await trx.raw<{ rows: Array<{ message_id: string; event_ms: string; type: string; source_id: string; traits: Record<string, JsonValue | null> | null }> }>(
    `SELECT message_id, (extract(epoch FROM event_ts) * 1000)::bigint AS event_ms, type, source_id, payload->'traits' AS traits
     FROM profile_events WHERE tenant_id = ? AND profile_id = ? ORDER BY event_ts, message_id`,
    [tenantId, profileId],
  );
  const all = new Map<string, StoredTrait>();
  for (const e of events) {
    if (e.type !== 'identify' || !e.traits) continue;
    for (const [name, value] of Object.entries(e.traits)) {
      all.set(name, applyTraitUpdate(all.get(name), { value, eventTs: Number(e.event_ms), sourceId: e.source_id, messageId: e.message_id }, ruleFor(settings.survivorship, name), settings.survivorship.sourcePriority));
    }
  }
  await trx.raw('DELETE FROM profile_traits WHERE tenant_id = ? AND profile_id = ?', [tenantId, profileId]);
  // Folded in event-time order, nothing was set aside: the result is exact, never stale.
  await upsertTraitRows(trx, tenantId, [...all].map(([name, t]) => ({ profileId, name, trait: { ...t, stale: false } })));
  const traits = goldenTraits(all);
  const span: [number, number] | null = events.length > 0 ? [Number(events[0]!.event_ms), Number(events.at(-1)!.event_ms)] : null;
  const { rows } = await trx.raw<{ rows: Array<{ version: string }> }>(
    `UPDATE profiles SET traits = ?::jsonb, version = version + 1, updated_at = now()
       ${span ? ', first_seen_at = least(first_seen_at, to_timestamp(? / 1000.0)), last_seen_at = greatest(last_seen_at, to_timestamp(? / 1000.0))' : ''}
     WHERE tenant_id = ? AND id = ? RETURNING version`,
    span ? [JSON.stringify(traits), span[0], span[1], tenantId, profileId] : [JSON.stringify(traits), tenantId, profileId],
  );
  return { traits, all, version: Number(rows[0]!.version), span };
}
