/**
 * Writing survivorship state: StoredTrait values as profile_traits rows, one statement for any
 * number of profiles and traits (an upsert, so it serves both a chunk's changed traits and a
 * rebuild after its rows were deleted); an import chunk's thousands go by COPY (writeThroughStage).
 */
import type { Knex } from 'knex';
import { writeThroughStage, type CopyColumn } from '@stratum/db';
import type { StoredTrait } from './rules';

export interface TraitRow {
  readonly profileId: string;
  readonly name: string;
  readonly trait: StoredTrait;
}

export async function upsertTraitRows(trx: Knex.Transaction, tenantId: string, rows: readonly TraitRow[]): Promise<void> {
  if (rows.length === 0) return;
  await writeThroughStage(
    trx,
    'stage_profile_traits',
    TRAIT_STAGE,
    rows.map(({ profileId, name, trait: t }) => [profileId, name, t.value, t.eventTs, t.firstTs, t.sourceId, t.messageId, t.removed?.ts ?? null, t.removed?.messageId ?? null, t.stale === true]),
    `INSERT INTO profile_traits (tenant_id, profile_id, name, value, event_ts, first_ts, source_id, message_id, removed_ts, removed_message_id, stale)
     SELECT ?, t.profile_id, t.name, t.value, to_timestamp(t.event_ms / 1000.0), to_timestamp(t.first_ms / 1000.0), t.source_id, t.message_id,
            CASE WHEN t.removed_ms IS NULL THEN NULL ELSE to_timestamp(t.removed_ms / 1000.0) END, t.removed_message_id, t.stale
     FROM staged AS t
     ON CONFLICT (tenant_id, profile_id, name) DO UPDATE SET value = excluded.value, event_ts = excluded.event_ts, first_ts = excluded.first_ts,
       source_id = excluded.source_id, message_id = excluded.message_id, removed_ts = excluded.removed_ts,
       removed_message_id = excluded.removed_message_id, stale = excluded.stale, updated_at = now()`,
    [tenantId],
  );
}

const TRAIT_STAGE: CopyColumn[] = [
  ['profile_id', 'text'],
  ['name', 'text'],
  ['value', 'jsonb'],
  ['event_ms', 'bigint'],
  ['first_ms', 'bigint'],
  ['source_id', 'text'],
  ['message_id', 'text'],
  ['removed_ms', 'bigint'],
  ['removed_message_id', 'text'],
  ['stale', 'boolean'],
];
