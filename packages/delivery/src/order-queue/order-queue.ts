/**
 * Per-key ordering for destinations that need it (CRM upserts: an older update must not land
 * after a newer one). When an event of key K (a profile) fails and waits for a retry, later events
 * of K park here in arrival order; other keys — and the partition — go on. The head (lowest seq)
 * is the one in flight; when it is delivered or dead-lettered it leaves, and the next is sent.
 *
 * Every decision ("is K held?", "what comes next?") is made under a transaction-scoped advisory
 * lock on (tenant, destination, key): the stage reading events.resolved and the one reading
 * delivery.attempts can both touch K, and one must not park an event just after the other found
 * the queue empty and moved on. Functions take a transaction scoped to the tenant (withTenant).
 */
import type { DeliveryAttempt } from '@stratum/schemas';
import type { Knex } from 'knex';

export interface OrderKey {
  readonly destinationId: string;
  /** The profile id: ordering is per destination and profile. */
  readonly key: string;
}

export interface QueuedAttempt {
  readonly messageId: string;
  readonly attempt: DeliveryAttempt;
}

/** Serialises decisions on one key until the transaction ends. */
export async function lockOrderKey(trx: Knex.Transaction, tenantId: string, k: OrderKey): Promise<void> {
  await trx.raw('SELECT pg_advisory_xact_lock(hashtextextended(?, 7356201141))', [`${tenantId}/${k.destinationId}/${k.key}`]);
}

/** The messageId at the head of K's queue, or null when K is not held. */
export async function queueHead(trx: Knex.Transaction, tenantId: string, k: OrderKey): Promise<string | null> {
  const row = await trx('delivery_order_queue')
    .where({ tenant_id: tenantId, destination_id: k.destinationId, order_key: k.key })
    .orderBy('seq')
    .first<{ message_id: string } | undefined>('message_id');
  return row?.message_id ?? null;
}

/** Appends an attempt to K's queue; one already queued (a replayed chunk) keeps its place. */
export async function enqueueAttempt(trx: Knex.Transaction, tenantId: string, k: OrderKey, attempt: DeliveryAttempt): Promise<void> {
  await trx.raw(
    `INSERT INTO delivery_order_queue (tenant_id, destination_id, order_key, message_id, attempt) VALUES (?, ?, ?, ?, ?::jsonb)
     ON CONFLICT (tenant_id, destination_id, message_id) DO NOTHING`,
    [tenantId, k.destinationId, k.key, attempt.messageId, JSON.stringify(attempt)],
  );
}

/** Replaces the stored attempt of a queued event (the head's attempt count and last error after a failure). */
export async function updateQueuedAttempt(trx: Knex.Transaction, tenantId: string, destinationId: string, attempt: DeliveryAttempt): Promise<void> {
  await trx('delivery_order_queue')
    .where({ tenant_id: tenantId, destination_id: destinationId, message_id: attempt.messageId })
    .update({ attempt: JSON.stringify(attempt) });
}

/** Takes an event out of its queue (delivered, dead-lettered, skipped). */
export async function dequeueAttempt(trx: Knex.Transaction, tenantId: string, destinationId: string, messageId: string): Promise<void> {
  await trx('delivery_order_queue').where({ tenant_id: tenantId, destination_id: destinationId, message_id: messageId }).delete();
}

/** K's queued attempts in order, at most `limit`. */
export async function queuedAttempts(trx: Knex.Transaction, tenantId: string, k: OrderKey, limit: number): Promise<QueuedAttempt[]> {
  const rows = await trx('delivery_order_queue')
    .where({ tenant_id: tenantId, destination_id: k.destinationId, order_key: k.key })
    .orderBy('seq')
    .limit(limit)
    .select<Array<{ message_id: string; attempt: DeliveryAttempt }>>('message_id', 'attempt');
  return rows.map((r) => ({ messageId: r.message_id, attempt: r.attempt }));
}

/** Drops every queued event of a profile, for every destination (consent revoked): how many went. */
export async function purgeQueuedForProfile(trx: Knex.Transaction, tenantId: string, profileId: string): Promise<number> {
  return trx('delivery_order_queue').where({ tenant_id: tenantId, order_key: profileId }).delete();
}
