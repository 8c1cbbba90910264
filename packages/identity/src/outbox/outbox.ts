/**
 * The identity outbox (migration 202611241230_identity_outbox): records to publish, written in
 * the transaction that made the change, so they are published if and only if it committed, and
 * per profile in commit order (the relay in services/identity-resolution publishes by id).
 */
import type { Knex } from 'knex';
import { writeThroughStage, type CopyColumn } from '@stratum/db';
import type { ConsentChange, IdentityAudit, ProfileChange } from '@stratum/schemas';

export const OUTBOX_TOPICS = ['profiles.changes', 'identity.audit', 'consents.changes'] as const;
export type OutboxTopic = (typeof OUTBOX_TOPICS)[number];

export type OutboxEntry =
  /** A golden-record snapshot, or a tombstone (value null) for a profile merged away. */
  | { readonly topic: 'profiles.changes'; readonly profileId: string; readonly value: ProfileChange | null }
  | { readonly topic: 'identity.audit'; readonly value: IdentityAudit }
  | { readonly topic: 'consents.changes'; readonly value: ConsentChange };

/** The record key, as the topic catalogue defines it for each topic (tenantId:profileId). */
export function outboxKey(tenantId: string, entry: OutboxEntry): string {
  switch (entry.topic) {
    case 'profiles.changes':
      return `${tenantId}:${entry.profileId}`;
    case 'identity.audit':
      return `${tenantId}:${entry.value.profileId}`;
    case 'consents.changes':
      return `${tenantId}:${entry.value.profileId ?? ''}`;
  }
}

/** Appends the entries, in order, in one statement (inside the caller's tenant-scoped transaction). */
export async function enqueueOutbox(trx: Knex.Transaction, tenantId: string, entries: readonly OutboxEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await writeThroughStage(
    trx,
    'stage_identity_outbox',
    OUTBOX_STAGE,
    entries.map((e, n) => [n, e.topic, outboxKey(tenantId, e), e.value]),
    'INSERT INTO identity_outbox (tenant_id, topic, record_key, value) SELECT ?, o.topic, o.record_key, o.value FROM staged AS o ORDER BY o.n',
    [tenantId],
  );
}

const OUTBOX_STAGE: CopyColumn[] = [
  ['n', 'int'],
  ['topic', 'text'],
  ['record_key', 'text'],
  ['value', 'json'],
];
