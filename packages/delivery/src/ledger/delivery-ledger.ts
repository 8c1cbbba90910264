/**
 * The delivered ledger: one row per (tenant, destination, messageId) a platform accepted. The
 * delivery-adapter asks it before sending and writes it right after each accepted request, so
 * every path that can bring an event back — a chunk replayed after a crash, a retry record
 * written twice, an operator's DLQ replay — finds it delivered and sends nothing. Functions take a
 * transaction already scoped to the tenant (withTenant).
 */
import type { Knex } from 'knex';

export interface LedgerKey {
  readonly destinationId: string;
  readonly messageId: string;
}

export interface DeliveredRow extends LedgerKey {
  readonly profileId: string;
  readonly attempt: number;
  readonly externalId: string | null;
}

export const ledgerKey = (k: LedgerKey): string => `${k.destinationId}\u0000${k.messageId}`;

/** The keys among `keys` already delivered, as ledgerKey strings. */
export async function deliveredAmong(trx: Knex.Transaction, tenantId: string, keys: readonly LedgerKey[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const { rows } = await trx.raw<{ rows: Array<{ destination_id: string; message_id: string }> }>(
    `SELECT l.destination_id, l.message_id
       FROM unnest(?::text[], ?::text[]) AS k(destination_id, message_id)
       JOIN delivery_ledger l ON l.tenant_id = ? AND l.destination_id = k.destination_id AND l.message_id = k.message_id`,
    [keys.map((k) => k.destinationId), keys.map((k) => k.messageId), tenantId],
  );
  return new Set(rows.map((r) => ledgerKey({ destinationId: r.destination_id, messageId: r.message_id })));
}

/** Records accepted deliveries; a key already there keeps its first row. */
export async function recordDelivered(trx: Knex.Transaction, tenantId: string, rows: readonly DeliveredRow[]): Promise<void> {
  if (rows.length === 0) return;
  await trx.raw(
    `INSERT INTO delivery_ledger (tenant_id, destination_id, message_id, profile_id, attempt, external_id)
     SELECT ?, * FROM unnest(?::text[], ?::text[], ?::text[], ?::int[], ?::text[])
     ORDER BY 1, 2 ON CONFLICT DO NOTHING`,
    [tenantId, rows.map((r) => r.destinationId), rows.map((r) => r.messageId), rows.map((r) => r.profileId), rows.map((r) => r.attempt), rows.map((r) => r.externalId)] as unknown as readonly Knex.RawBinding[],
  );
}

/** Forgets deliveries older than `before` (retention: keep at least as long as delivery.dlq, so a replay is still deduplicated). */
export async function forgetDeliveredBefore(trx: Knex.Transaction, tenantId: string, before: Date): Promise<number> {
  return trx('delivery_ledger').where('tenant_id', tenantId).andWhere('delivered_at', '<', before).delete();
}
