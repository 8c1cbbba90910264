/**
 * The dead-letter index: delivery.dlq copied into PostgreSQL so operators can filter, page,
 * replay and purge (`stratum dlq`). The topic stays the record of truth; the retry stage indexes
 * it as it reads. Purging marks a row instead of deleting it: the topic still holds the record,
 * and a re-read (a reset consumer group) must not bring it back. Only once the topic can no
 * longer hold it does forgetPurgedBefore delete it. Functions take a transaction already scoped
 * to the tenant (withTenant).
 */
import type { DeadLetter } from '@stratum/schemas';
import type { Knex } from 'knex';
import { isUuid } from './cursor';
import type { DeadLetterCount, DeadLetterFilter, DeadLetterPage, DeadLetterPageRequest, DeadLetterRow, DeadLetterSummary } from './dead-letter';
import { deadLetterErrors } from './errors';
import { matching, readPage, rowOf, summaryOf, TABLE } from './query';

// 15 columns a row: 500 rows stay far below PostgreSQL's 65535 bind parameters per statement.
const INSERT_CHUNK = 500;

function columnsOf(letter: DeadLetter): Record<string, unknown> {
  return {
    tenant_id: letter.tenantId,
    dlq_id: letter.dlqId,
    destination_id: letter.destinationId,
    destination_type: letter.destinationType,
    message_id: letter.messageId,
    profile_id: letter.profileId,
    attempts: letter.attempts,
    first_attempt_at: new Date(letter.firstAttemptAt),
    last_attempt_at: new Date(letter.lastAttemptAt),
    dead_lettered_at: new Date(letter.deadLetteredAt),
    reason: letter.reason,
    last_error: letter.lastError === null ? null : JSON.stringify(letter.lastError),
    origin_topic: letter.originTopic,
    event: JSON.stringify(letter.event),
  };
}

/**
 * Indexes DLQ records of one tenant; a dlqId already indexed (a re-read record, or one purged
 * since) is left as it is. Returns how many rows were new. A record of another tenant or with a
 * dlqId that is not a UUID is invalid_dead_letter (a producer bug), and nothing is written.
 */
export async function indexDeadLetters(trx: Knex.Transaction, tenantId: string, letters: readonly DeadLetter[]): Promise<number> {
  for (const letter of letters) {
    if (letter.tenantId !== tenantId) throw deadLetterErrors.error('invalid_dead_letter', `dead letter ${letter.dlqId} belongs to tenant ${letter.tenantId}, not ${tenantId}`);
    if (!isUuid(letter.dlqId)) throw deadLetterErrors.error('invalid_dead_letter', `dead letter dlqId ${JSON.stringify(letter.dlqId)} is not a UUID`);
  }
  let inserted = 0;
  for (let i = 0; i < letters.length; i += INSERT_CHUNK) {
    const rows = await trx(TABLE)
      .insert(letters.slice(i, i + INSERT_CHUNK).map(columnsOf))
      .onConflict(['tenant_id', 'dlq_id'])
      .ignore()
      .returning('dlq_id');
    inserted += rows.length;
  }
  return inserted;
}

/** A page of dead letters matching `filter`, newest first (what an operator looks at first). */
export function listDeadLetters(trx: Knex.Transaction, tenantId: string, filter: DeadLetterFilter & DeadLetterPageRequest = {}): Promise<DeadLetterPage<DeadLetterSummary>> {
  return readPage(trx, tenantId, filter, 'newest', false, summaryOf);
}

/** How many dead letters match `filter`, per destination and reason (largest first). */
export async function countDeadLetters(trx: Knex.Transaction, tenantId: string, filter: DeadLetterFilter = {}): Promise<DeadLetterCount[]> {
  const rows = await matching(trx, tenantId, filter)
    .select<Array<{ destination_id: string; reason: string; count: string }>>('destination_id', 'reason', trx.raw('count(*) AS count'))
    .groupBy('destination_id', 'reason')
    .orderBy([{ column: 'count', order: 'desc' }, { column: 'destination_id' }, { column: 'reason' }]);
  return rows.map((r) => ({ destinationId: r.destination_id, reason: r.reason, count: Number(r.count) }));
}

/**
 * A page of dead letters with their events, oldest first: replayed in that order, a profile's
 * events go back onto delivery.attempts in the order they first failed.
 */
export function deadLettersForReplay(trx: Knex.Transaction, tenantId: string, filter: DeadLetterFilter & DeadLetterPageRequest = {}): Promise<DeadLetterPage<DeadLetterRow>> {
  return readPage(trx, tenantId, filter, 'oldest', true, rowOf);
}

/** Records that these dead letters were replayed (call once the broker acknowledged the records); returns rows updated. */
export async function markReplayed(trx: Knex.Transaction, tenantId: string, dlqIds: readonly string[]): Promise<number> {
  if (dlqIds.length === 0) return 0;
  return trx(TABLE)
    .where('tenant_id', tenantId)
    .andWhereRaw('dlq_id = ANY(?::uuid[])', [[...dlqIds]])
    .update({ replay_count: trx.raw('replay_count + 1'), last_replayed_at: trx.fn.now() });
}

/** Hides matching dead letters from every listing and replay for good; returns how many were purged now. */
export async function purgeDeadLetters(trx: Knex.Transaction, tenantId: string, filter: DeadLetterFilter): Promise<number> {
  return matching(trx, tenantId, filter).update({ purged_at: trx.fn.now() });
}

/**
 * Deletes purged rows dead-lettered before `before`. Pass a time the topic can no longer hold
 * them (delivery.dlq keeps 30 days; add a segment's lifetime, since Kafka deletes whole
 * segments): a purged row deleted while its record is still readable would come back if the
 * topic were read again.
 */
export async function forgetPurgedBefore(trx: Knex.Transaction, tenantId: string, before: Date): Promise<number> {
  return trx(TABLE).where('tenant_id', tenantId).whereNotNull('purged_at').andWhere('dead_lettered_at', '<', before).delete();
}
