/**
 * Writing survivorship state: StoredTrait values as profile_traits rows, one statement for any
 * number of profiles and traits (an upsert, so it serves both a chunk's changed traits and a
 * rebuild after its rows were deleted).
 */
import type { Knex } from 'knex';
import type { StoredTrait } from './rules';

export interface TraitRow {
  readonly profileId: string;
  readonly name: string;
  readonly trait: StoredTrait;
}

export async function upsertTraitRows(trx: Knex.Transaction, tenantId: string, rows: readonly TraitRow[]): Promise<void> {
  if (rows.length === 0) return;
  const json = rows.map(({ profileId, name, trait: t }) => ({
    profile_id: profileId,
    name,
    value: t.value,
    event_ms: t.eventTs,
    first_ms: t.firstTs,
    source_id: t.sourceId,
    message_id: t.messageId,
    removed_ms: t.removed?.ts ?? null,
    removed_message_id: t.removed?.messageId ?? null,
    stale: t.stale === true,
  }));
  await trx.raw(
    `INSERT INTO profile_traits (tenant_id, profile_id, name, value, event_ts, first_ts, source_id, message_id, removed_ts, removed_message_id, stale)
     SELECT ?, t.profile_id, t.name, t.value, to_timestamp(t.event_ms / 1000.0), to_timestamp(t.first_ms / 1000.0), t.source_id, t.message_id,
            CASE WHEN t.removed_ms IS NULL THEN NULL ELSE to_timestamp(t.removed_ms / 1000.0) END, t.removed_message_id, t.stale
     FROM json_to_recordset(?::json) AS t(profile_id text, name text, value jsonb, event_ms bigint, first_ms bigint, source_id text, message_id text, removed_ms bigint, removed_message_id text, stale boolean)
     ON CONFLICT (tenant_id, profile_id, name) DO UPDATE SET value = excluded.value, event_ts = excluded.event_ts, first_ts = excluded.first_ts,
       source_id = excluded.source_id, message_id = excluded.message_id, removed_ts = excluded.removed_ts,
       removed_message_id = excluded.removed_message_id, stale = excluded.stale, updated_at = now()`,
    [tenantId, JSON.stringify(json)],
  );
}
