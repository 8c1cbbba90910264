/**
 * The identity history of a person: identity_audit rows (link, merge, unmerge, review, reject) that
 * name the profile or any profile merged into it — as the subject (profile_id) or among the
 * others (other_profile_ids) — newest first: occurred_at DESC, then the audit id. Keyset pages
 * like the timeline. Served by identity_audit_profile (btree) and identity_audit_others (GIN).
 */
import { parseIdentifierKey } from '@stratum/identity';
import type { IdentifierType } from '@stratum/schemas';
import type { Knex } from 'knex';
import { exactTimestampSql } from '@stratum/db';
import type { Cursor } from './cursor';

export interface AuditIdentifier {
  readonly type: IdentifierType;
  readonly namespace: string | null;
  readonly valueHash: string;
}

export interface MergeRecord {
  readonly auditId: string;
  readonly action: 'link' | 'merge' | 'unmerge' | 'review' | 'reject';
  readonly profileId: string;
  readonly otherProfileIds: string[];
  readonly identifiers: AuditIdentifier[];
  readonly messageId: string | null;
  readonly sourceId: string | null;
  readonly rule: string;
  readonly reason: string | null;
  readonly actor: string | null;
  readonly occurredAt: string;
}

export interface MergePage {
  readonly merges: MergeRecord[];
  readonly next: Cursor | null;
}

/** Audit keys (`type:namespace:valueHash`, @stratum/identity) as objects; anything else is left out. */
function identifiersOf(keys: unknown): AuditIdentifier[] {
  if (!Array.isArray(keys)) return [];
  return keys.flatMap((key) => {
    if (typeof key !== 'string') return [];
    try {
      const ref = parseIdentifierKey(key);
      return [{ type: ref.type, namespace: ref.namespace === '' ? null : ref.namespace, valueHash: ref.valueHash }];
    } catch {
      return [];
    }
  });
}

/** One page of the audit rows naming any of `profileIds`, after `after` (null: from the newest). */
export async function readMerges(trx: Knex.Transaction, tenantId: string, profileIds: readonly string[], limit: number, after: Cursor | null): Promise<MergePage> {
  const { rows } = await trx.raw<{
    rows: Array<{
      id: string;
      action: MergeRecord['action'];
      profile_id: string;
      other_profile_ids: string[];
      identifiers: unknown;
      message_id: string | null;
      source_id: string | null;
      rule: string;
      reason: string | null;
      actor: string | null;
      occurred_at: Date;
      exact_ts: string;
    }>;
  }>(
    `SELECT id, action, profile_id, other_profile_ids, identifiers, message_id, source_id, rule, reason, actor, occurred_at, ${exactTimestampSql('occurred_at')} AS exact_ts
     FROM identity_audit
     WHERE tenant_id = ? AND (profile_id = ANY(?::text[]) OR other_profile_ids && ?::text[])${after === null ? '' : ' AND (occurred_at, id) < (?::timestamptz, ?)'}
     ORDER BY occurred_at DESC, id DESC
     LIMIT ?`,
    after === null ? [tenantId, [...profileIds], [...profileIds], limit + 1] : [tenantId, [...profileIds], [...profileIds], after.at, after.id, limit + 1],
  );
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    merges: page.map((r) => ({
      auditId: r.id,
      action: r.action,
      profileId: r.profile_id,
      otherProfileIds: r.other_profile_ids,
      identifiers: identifiersOf(r.identifiers),
      messageId: r.message_id,
      sourceId: r.source_id,
      rule: r.rule,
      reason: r.reason,
      actor: r.actor,
      occurredAt: r.occurred_at.toISOString(),
    })),
    next: rows.length > limit && last !== undefined ? { at: last.exact_ts, id: last.id } : null,
  };
}
