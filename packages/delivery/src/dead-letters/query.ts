/** The SQL every dead-letter read shares: the filter, the page boundary, and row → summary. */
import type { DeliveryError, ResolvedEvent } from '@stratum/schemas';
import type { Knex } from 'knex';
import { CURSOR_AT_SQL, decodeCursor, encodeCursor, isUuid } from './cursor';
import { DEAD_LETTER_DEFAULT_PAGE_SIZE, DEAD_LETTER_MAX_PAGE_SIZE, type DeadLetterFilter, type DeadLetterPage, type DeadLetterPageRequest, type DeadLetterRow, type DeadLetterSummary } from './dead-letter';
import { deadLetterErrors } from './errors';

export const TABLE = 'delivery_dead_letters';

export interface StoredRow {
  tenant_id: string;
  dlq_id: string;
  destination_id: string;
  destination_type: string;
  message_id: string;
  profile_id: string;
  attempts: number;
  first_attempt_at: Date;
  last_attempt_at: Date;
  dead_lettered_at: Date;
  reason: string;
  last_error: DeliveryError | null;
  origin_topic: string;
  replay_count: number;
  last_replayed_at: Date | null;
  cursor_at: string;
  event: ResolvedEvent;
}

const SUMMARY_COLUMNS = [
  'dlq_id',
  'destination_id',
  'destination_type',
  'message_id',
  'profile_id',
  'attempts',
  'first_attempt_at',
  'last_attempt_at',
  'dead_lettered_at',
  'reason',
  'last_error',
  'origin_topic',
  'replay_count',
  'last_replayed_at',
] as const;

/** Refuses a filter PostgreSQL would fail on obscurely (a malformed uuid) or that can match nothing by mistake. */
export function checkFilter(filter: DeadLetterFilter): void {
  const bad = filter.dlqIds?.filter((id) => !isUuid(id)) ?? [];
  if (bad.length > 0) throw deadLetterErrors.error('invalid_filter', `dlqIds must be UUIDs, got ${bad.map((id) => JSON.stringify(id)).join(', ')}`);
  if (filter.since !== undefined && filter.until !== undefined && filter.since >= filter.until) {
    throw deadLetterErrors.error('invalid_filter', `since (${filter.since.toISOString()}) must be before until (${filter.until.toISOString()})`);
  }
}

/** The tenant's unpurged rows matching `filter`. */
export function matching(trx: Knex.Transaction, tenantId: string, filter: DeadLetterFilter): Knex.QueryBuilder {
  checkFilter(filter);
  const q = trx(TABLE).where('tenant_id', tenantId).whereNull('purged_at');
  if (filter.destinationId !== undefined) q.andWhere('destination_id', filter.destinationId);
  if (filter.reason !== undefined) q.andWhere('reason', filter.reason);
  if (filter.since !== undefined) q.andWhere('dead_lettered_at', '>=', filter.since);
  if (filter.until !== undefined) q.andWhere('dead_lettered_at', '<', filter.until);
  if (filter.dlqIds !== undefined) q.andWhereRaw('dlq_id = ANY(?::uuid[])', [[...filter.dlqIds]]);
  return q;
}

function pageSize(limit: number | undefined): number {
  const n = limit ?? DEAD_LETTER_DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(n) || n < 1 || n > DEAD_LETTER_MAX_PAGE_SIZE) throw deadLetterErrors.error('invalid_filter', `limit must be an integer 1-${DEAD_LETTER_MAX_PAGE_SIZE}, got ${n}`);
  return n;
}

/**
 * One page of matching rows in (dead_lettered_at, dlq_id) order, newest or oldest first. Reads
 * one row more than asked to know whether another page follows.
 */
export async function readPage<T>(
  trx: Knex.Transaction,
  tenantId: string,
  filter: DeadLetterFilter & DeadLetterPageRequest,
  order: 'newest' | 'oldest',
  withEvent: boolean,
  toResult: (row: StoredRow) => T,
): Promise<DeadLetterPage<T>> {
  const limit = pageSize(filter.limit);
  const direction = order === 'newest' ? 'desc' : 'asc';
  const q = matching(trx, tenantId, filter);
  if (filter.after !== undefined) {
    const from = decodeCursor(filter.after);
    q.andWhereRaw(`(dead_lettered_at, dlq_id) ${order === 'newest' ? '<' : '>'} (?::timestamptz, ?::uuid)`, [from.at, from.dlqId]);
  }
  const rows = await q
    .select<StoredRow[]>([...SUMMARY_COLUMNS, ...(withEvent ? ['tenant_id', 'event'] : []), trx.raw(`${CURSOR_AT_SQL} AS cursor_at`)])
    .orderBy([
      { column: 'dead_lettered_at', order: direction },
      { column: 'dlq_id', order: direction },
    ])
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { deadLetters: page.map(toResult), nextCursor: rows.length > limit && last !== undefined ? encodeCursor({ at: last.cursor_at, dlqId: last.dlq_id }) : null };
}

const ms = (d: Date | null): number | null => (d === null ? null : d.getTime());

export function summaryOf(r: StoredRow): DeadLetterSummary {
  return {
    dlqId: r.dlq_id,
    destinationId: r.destination_id,
    destinationType: r.destination_type,
    messageId: r.message_id,
    profileId: r.profile_id,
    attempts: r.attempts,
    firstAttemptAt: r.first_attempt_at.getTime(),
    lastAttemptAt: r.last_attempt_at.getTime(),
    deadLetteredAt: r.dead_lettered_at.getTime(),
    reason: r.reason,
    lastError: r.last_error,
    originTopic: r.origin_topic,
    replayCount: r.replay_count,
    lastReplayedAt: ms(r.last_replayed_at),
  };
}

export function rowOf(r: StoredRow): DeadLetterRow {
  return { ...summaryOf(r), tenantId: r.tenant_id, event: r.event };
}
