/**
 * The review queue (identity_reviews) as a work list: entries of one status (and optionally one
 * reason), newest first — created_at DESC, then the id — in keyset pages (the profile API's
 * `GET /v1/reviews`, `stratum identity reviews`). Each
 * entry says which profiles it is about *now* (a candidate merged away since answers for its
 * survivor), so a reviewer sees at once when a later row already joined the pair.
 */
import type { Knex } from 'knex';
import { exactTimestampSql } from '@stratum/db';
import type { IdentifierType } from '@stratum/schemas';
import { parseIdentifierKey } from '../identifier-key';
import { CURRENT_PROFILES_SQL } from './current-profiles';

/** Where a page ends: the last entry's created_at as PostgreSQL's exact UTC text (microseconds), and its id. */
export interface ReviewPageKey {
  readonly at: string;
  readonly id: string;
}

export const REVIEW_STATUSES = ['open', 'approved', 'rejected'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

export interface ReviewMatch {
  readonly score: number | null;
  readonly tier: string | null;
  /** What the matcher recorded: agreed and disagreed fields, per-field level and weight. */
  readonly fields: unknown;
}

export interface ReviewEntry {
  readonly id: string;
  readonly reason: string;
  readonly status: ReviewStatus;
  /** The identifier the entry is about (for a fuzzy match: the stored record matched). */
  readonly identifier: { readonly type: IdentifierType; readonly namespace: string | null; readonly valueHash: string };
  /** The profiles named when the entry was made. */
  readonly candidateProfileIds: string[];
  /** The active profiles those are now (one: already the same person). */
  readonly currentProfileIds: string[];
  readonly match: ReviewMatch | null;
  readonly messageId: string | null;
  readonly createdAt: string;
  readonly decidedAt: string | null;
  readonly decidedBy: string | null;
}

export interface ReviewPage {
  readonly reviews: ReviewEntry[];
  readonly next: ReviewPageKey | null;
}

export interface ReviewFilter {
  readonly status: ReviewStatus;
  readonly reason: string | null;
  /** Only entries whose match score is at least this (entries without a score are left out). */
  readonly minScore?: number | null;
  /** Only entries whose match score is below this (entries without a score are left out). */
  readonly maxScore?: number | null;
  /**
   * true: only entries whose profiles are one already (a later row or decision merged them; an
   * approval merges nothing); false: only those still naming two or more; absent: both.
   */
  readonly settled?: boolean | null;
}

/**
 * One page of entries after `after` (null: from the start): newest first as a work list shows
 * them, or oldest first (`order` 'oldest') as a bulk decision takes them.
 */
export async function readReviews(
  trx: Knex.Transaction,
  tenantId: string,
  filter: ReviewFilter,
  limit: number,
  after: ReviewPageKey | null,
  order: 'newest' | 'oldest' = 'newest',
): Promise<ReviewPage> {
  const conditions = ['r.tenant_id = ?', 'r.status = ?'];
  const bindings: string[] = [tenantId, filter.status];
  if (filter.reason !== null) {
    conditions.push('r.reason = ?');
    bindings.push(filter.reason);
  }
  if (filter.minScore !== undefined && filter.minScore !== null) {
    conditions.push('r.match_score >= ?');
    bindings.push(String(filter.minScore));
  }
  if (filter.maxScore !== undefined && filter.maxScore !== null) {
    conditions.push('r.match_score < ?');
    bindings.push(String(filter.maxScore));
  }
  if (filter.settled !== undefined && filter.settled !== null) conditions.push(`coalesce(cardinality(${CURRENT_PROFILES_SQL}), 0) ${filter.settled ? '<=' : '>'} 1`);
  if (after !== null) {
    conditions.push(`(r.created_at, r.id) ${order === 'newest' ? '<' : '>'} (?::timestamptz, ?)`);
    bindings.push(after.at, after.id);
  }
  const { rows } = await trx.raw<{
    rows: Array<{
      id: string;
      reason: string;
      status: ReviewStatus;
      identifier_key: string;
      candidate_profile_ids: string[];
      current_profile_ids: string[] | null;
      match_score: number | null;
      match_tier: string | null;
      match_fields: unknown;
      message_id: string | null;
      created_at: Date;
      decided_at: Date | null;
      decided_by: string | null;
      exact_ts: string;
    }>;
  }>(
    `SELECT r.id, r.reason, r.status, r.identifier_key, r.candidate_profile_ids, r.match_score, r.match_tier, r.match_fields, r.message_id,
            r.created_at, r.decided_at, r.decided_by, ${exactTimestampSql('r.created_at')} AS exact_ts,
            ${CURRENT_PROFILES_SQL} AS current_profile_ids
     FROM identity_reviews r
     WHERE ${conditions.join(' AND ')}
     ORDER BY r.created_at ${order === 'newest' ? 'DESC' : 'ASC'}, r.id ${order === 'newest' ? 'DESC' : 'ASC'}
     LIMIT ?`,
    [...bindings, limit + 1],
  );
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    reviews: page.map((r) => {
      const ref = parseIdentifierKey(r.identifier_key);
      return {
        id: r.id,
        reason: r.reason,
        status: r.status,
        identifier: { type: ref.type, namespace: ref.namespace === '' ? null : ref.namespace, valueHash: ref.valueHash },
        candidateProfileIds: r.candidate_profile_ids,
        currentProfileIds: r.current_profile_ids ?? [],
        match: r.match_score === null && r.match_tier === null ? null : { score: r.match_score, tier: r.match_tier, fields: r.match_fields },
        messageId: r.message_id,
        createdAt: r.created_at.toISOString(),
        decidedAt: r.decided_at?.toISOString() ?? null,
        decidedBy: r.decided_by,
      };
    }),
    next: rows.length > limit && last !== undefined ? { at: last.exact_ts, id: last.id } : null,
  };
}
