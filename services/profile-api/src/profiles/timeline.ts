/**
 * A profile's timeline from the event archive (profile_events), newest first: event_ts DESC, then
 * message_id DESC (the archive's key within a tenant, so the order is total and keyset pages
 * neither repeat nor skip rows). Merges re-point the archived events of the merged-away profiles
 * to the survivor, so its timeline includes theirs with no extra work. Served by the index
 * profile_events_timeline (tenant_id, profile_id, event_ts DESC, message_id DESC).
 */
import type { Knex } from 'knex';
import { exactTimestampSql } from '@stratum/db';
import type { Cursor } from './cursor';

export interface TimelineEvent {
  readonly messageId: string;
  readonly type: string;
  /** The event name (track), page or screen name; null for other types. */
  readonly event: string | null;
  readonly timestamp: string;
  readonly receivedAt: string;
  readonly sourceId: string;
  readonly payload: Record<string, unknown>;
}

export interface TimelinePage {
  readonly events: TimelineEvent[];
  /** The cursor after the last event, when there may be more. */
  readonly next: Cursor | null;
}

/** One page of at most `limit` events after `after` (null: from the newest). */
export async function readTimeline(trx: Knex.Transaction, tenantId: string, profileId: string, limit: number, after: Cursor | null): Promise<TimelinePage> {
  const { rows } = await trx.raw<{
    rows: Array<{ message_id: string; type: string; event_name: string | null; event_ts: Date; received_at: Date; source_id: string; payload: Record<string, unknown>; exact_ts: string }>;
  }>(
    `SELECT message_id, type, event_name, event_ts, received_at, source_id, payload, ${exactTimestampSql('event_ts')} AS exact_ts
     FROM profile_events
     WHERE tenant_id = ? AND profile_id = ?${after === null ? '' : ' AND (event_ts, message_id) < (?::timestamptz, ?)'}
     ORDER BY event_ts DESC, message_id DESC
     LIMIT ?`,
    after === null ? [tenantId, profileId, limit + 1] : [tenantId, profileId, after.at, after.id, limit + 1],
  );
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    events: page.map((r) => ({
      messageId: r.message_id,
      type: r.type,
      event: r.event_name,
      timestamp: r.event_ts.toISOString(),
      receivedAt: r.received_at.toISOString(),
      sourceId: r.source_id,
      payload: r.payload,
    })),
    next: rows.length > limit && last !== undefined ? { at: last.exact_ts, id: last.message_id } : null,
  };
}
