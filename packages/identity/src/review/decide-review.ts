/**
 * A person's answer to an entry of the review queue (identity_reviews): the pairs identity
 * resolution would not decide alone — a fuzzy match between the thresholds, a strong match the
 * chain guard held back, a merge the anomaly guard stopped.
 *
 * - approve: the profiles the entry names (as they are now: each candidate's final survivor, and
 *   the profile holding the entry's identifier) become one, as the resolver's merge path does it —
 *   the oldest profile survives, identifiers, events and consents move to it, the others are
 *   marked merged into it, traits are recomputed from the archive by the tenant's survivorship
 *   rules, the survivor is marked do-not-contact if it now holds a listed identifier (as after a
 *   resolver merge), and a `manual:review` edge joins the graphs so an unmerge can split them
 *   again. When they are one profile already (a later row linked them), nothing moves.
 * - reject: the entry is closed as different people.
 *
 * Either way the entry records who decided and when, an audit row (merge or reject, rule
 * `manual`, with the entry's match score and tier) is written, and the audit record and the
 * snapshots go out through the identity outbox — all in one transaction.
 */
import type { Knex } from 'knex';
import { epochMs, fromEpochMs, type Db } from '@stratum/db';
import { defineErrorCodes } from '@stratum/errors';
import type { IdentityAudit, MatchTier } from '@stratum/schemas';
import { lockDoNotContactShared } from '../do-not-contact/lock';
import { markListedProfiles } from '../do-not-contact/mark';
import { mergeProfiles } from '../graph/merge-profiles';
import { identifierKey, identifierRecordOfKey, parseIdentifierKey } from '../identifier-key';
import { enqueueOutbox, type OutboxEntry } from '../outbox/outbox';
import { profileChangeRecord, readProfileStates } from '../outbox/profile-change';
import { loadIdentitySettings } from '../settings-store';
import { stableId } from '../stable-id';
import { rebuildTraits } from '../survivorship/rebuild';
import { withTenant } from '../tenant-scope';

export const reviewErrors = defineErrorCodes({
  review_not_found: { retriable: false, description: 'no review entry with this id in the tenant' },
  review_decided: { retriable: false, description: 'the review entry was approved or rejected already' },
  review_selection_missing: { retriable: false, description: 'a bulk decision names no entries (reason, score range, settled): deciding the whole queue unseen is what the queue exists to prevent' },
});

/** The rule of the edge an approval adds. */
export const REVIEW_EDGE_RULE = 'manual:review';

export interface ReviewDecisionRequest {
  readonly reviewId: string;
  /** Who decided (an operator or API key hint), for the entry and the audit. */
  readonly actor: string;
  readonly reason?: string | null;
}

export interface ReviewDecision {
  readonly reviewId: string;
  readonly status: 'approved' | 'rejected';
  /** The audit row written. */
  readonly auditId: string;
  /** Approved: the profile the entry's profiles are now. Rejected: null. */
  readonly profileId: string | null;
  /** Approved: the profiles merged into it by this decision (empty when they were one already). */
  readonly mergedProfileIds: readonly string[];
  readonly decidedAt: number;
}

interface ReviewRow {
  id: string;
  identifier_key: string;
  candidate_profile_ids: string[];
  status: string;
  reason: string;
  match_score: number | null;
  match_tier: MatchTier | null;
  match_fields: { agreed?: string[] } | null;
}

export function approveReview(db: Db, tenantId: string, request: ReviewDecisionRequest, now: () => number = Date.now): Promise<ReviewDecision> {
  return withTenant(db, tenantId, async (trx) => {
    // Held from the start, as markListedProfiles needs: a list change waits for this merge.
    await lockDoNotContactShared(trx, tenantId);
    const review = await lockOpenReview(trx, tenantId, request.reviewId);
    const at = now();
    const profiles = await currentProfiles(trx, tenantId, review);
    // The oldest survives, as in the resolver's merges.
    const [survivor, ...losers] = profiles;
    const edges = losers.length === 0 ? [] : await joiningEdges(trx, tenantId, review.identifier_key, profiles);
    if (losers.length > 0) {
      await mergeProfiles(trx, tenantId, new Map(losers.map((p) => [p.id, survivor!.id])));
      await markListedProfiles(trx, tenantId, [survivor!.id]);
      await insertEdges(trx, tenantId, edges);
    }
    const rebuilt = losers.length > 0 ? await rebuildTraits(trx, tenantId, survivor!.id, await loadIdentitySettings(trx, tenantId)) : null;
    const auditId = stableId(tenantId, review.id, 'approve');
    const audit = await writeDecision(trx, tenantId, review, request, at, {
      status: 'approved',
      auditId,
      action: 'merge',
      profileId: survivor?.id ?? review.candidate_profile_ids[0]!,
      others: losers.map((p) => p.id),
      identifiers: edges.length > 0 ? [...new Set(edges.flat())] : [review.identifier_key],
    });
    const entries: OutboxEntry[] = [{ topic: 'identity.audit', value: audit }];
    if (rebuilt !== null) {
      const state = (await readProfileStates(trx, tenantId, [survivor!.id])).get(survivor!.id)!;
      entries.push(
        ...losers.map((p): OutboxEntry => ({ topic: 'profiles.changes', profileId: p.id, value: null })),
        { topic: 'profiles.changes', profileId: survivor!.id, value: profileChangeRecord(tenantId, state, { change: 'merged', absorbedProfileIds: losers.map((p) => p.id), causedBy: auditId, changedAt: at }) },
      );
    }
    await enqueueOutbox(trx, tenantId, entries);
    return { reviewId: review.id, status: 'approved', auditId, profileId: survivor?.id ?? null, mergedProfileIds: losers.map((p) => p.id), decidedAt: at };
  });
}

export function rejectReview(db: Db, tenantId: string, request: ReviewDecisionRequest, now: () => number = Date.now): Promise<ReviewDecision> {
  return withTenant(db, tenantId, async (trx) => {
    const review = await lockOpenReview(trx, tenantId, request.reviewId);
    const at = now();
    const profiles = await currentProfiles(trx, tenantId, review);
    const auditId = stableId(tenantId, review.id, 'reject');
    const ids = profiles.map((p) => p.id);
    const audit = await writeDecision(trx, tenantId, review, request, at, {
      status: 'rejected',
      auditId,
      action: 'reject',
      profileId: ids[0] ?? review.candidate_profile_ids[0]!,
      others: ids.slice(1),
      identifiers: [review.identifier_key],
    });
    await enqueueOutbox(trx, tenantId, [{ topic: 'identity.audit', value: audit }]);
    return { reviewId: review.id, status: 'rejected', auditId, profileId: null, mergedProfileIds: [], decidedAt: at };
  });
}

async function lockOpenReview(trx: Knex.Transaction, tenantId: string, reviewId: string): Promise<ReviewRow> {
  const { rows } = await trx.raw<{ rows: ReviewRow[] }>(
    `SELECT id, identifier_key, candidate_profile_ids, status, reason, match_score, match_tier, match_fields
     FROM identity_reviews WHERE tenant_id = ? AND id = ? FOR UPDATE`,
    [tenantId, reviewId],
  );
  const review = rows[0];
  if (review === undefined) throw reviewErrors.error('review_not_found', `no review entry ${reviewId}`);
  if (review.status !== 'open') throw reviewErrors.error('review_decided', `review entry ${reviewId} was ${review.status} already`);
  return review;
}

interface CurrentProfile {
  id: string;
  first_ms: string;
}

/**
 * The active profiles the entry is about now, oldest first, locked: each candidate's final
 * survivor (merged_into always names it) and the profile holding the entry's identifier.
 */
async function currentProfiles(trx: Knex.Transaction, tenantId: string, review: ReviewRow): Promise<CurrentProfile[]> {
  const ref = parseIdentifierKey(review.identifier_key);
  const { rows } = await trx.raw<{ rows: CurrentProfile[] }>(
    `WITH named AS (
       SELECT coalesce(p.merged_into, p.id) AS id FROM profiles p WHERE p.tenant_id = ? AND p.id = ANY(?)
       UNION SELECT i.profile_id FROM identifiers i WHERE i.tenant_id = ? AND i.type = ? AND i.namespace = ? AND i.value_hash = ?)
     SELECT p.id, ${epochMs('p.first_seen_at')} AS first_ms
     FROM profiles p JOIN named n ON n.id = p.id
     WHERE p.tenant_id = ? AND p.status = 'active' ORDER BY p.id FOR UPDATE OF p`,
    [tenantId, review.candidate_profile_ids, tenantId, ref.type, ref.namespace, ref.valueHash, tenantId],
  );
  return rows.sort((a, b) => Number(a.first_ms) - Number(b.first_ms) || (a.id < b.id ? -1 : 1));
}

/**
 * One edge per profile joined: from the entry's identifier (or, when no profile holds it, the
 * survivor's oldest identifier) to the oldest identifier of each other profile. Sorted (a < b),
 * as the table keeps them.
 */
async function joiningEdges(trx: Knex.Transaction, tenantId: string, entryKey: string, profiles: readonly CurrentProfile[]): Promise<Array<[string, string]>> {
  const { rows } = await trx.raw<{ rows: Array<{ profile_id: string; type: string; namespace: string; value_hash: string; holds_entry: boolean }> }>(
    `SELECT DISTINCT ON (profile_id) profile_id, type, namespace, value_hash,
            bool_or(type || ':' || namespace || ':' || value_hash = ?) OVER (PARTITION BY profile_id) AS holds_entry
     FROM identifiers WHERE tenant_id = ? AND profile_id = ANY(?)
     ORDER BY profile_id, first_seen_at, type, namespace, value_hash`,
    [decodedKey(entryKey), tenantId, profiles.map((p) => p.id)],
  );
  const oldest = new Map(rows.map((r) => [r.profile_id, identifierKey({ type: r.type as never, namespace: r.namespace, valueHash: r.value_hash })]));
  const holder = rows.find((r) => r.holds_entry)?.profile_id;
  const anchorProfile = holder ?? profiles[0]!.id;
  const anchor = holder !== undefined ? entryKey : oldest.get(anchorProfile);
  if (anchor === undefined) return [];
  return profiles
    .filter((p) => p.id !== anchorProfile && oldest.has(p.id))
    .map((p) => {
      const other = oldest.get(p.id)!;
      return anchor < other ? [anchor, other] : [other, anchor];
    });
}

/** The identifier key with its namespace as stored (keys percent-encode it). */
function decodedKey(key: string): string {
  const ref = parseIdentifierKey(key);
  return `${ref.type}:${ref.namespace}:${ref.valueHash}`;
}

/** The edges joining the merged graphs, kept by unmerge's rules (one active edge per pair). */
async function insertEdges(trx: Knex.Transaction, tenantId: string, edges: ReadonlyArray<[string, string]>): Promise<void> {
  for (const [a, b] of edges) {
    await trx.raw(`INSERT INTO identity_edges (tenant_id, a_key, b_key, rule) VALUES (?, ?, ?, ?) ON CONFLICT (tenant_id, a_key, b_key) WHERE removed_at IS NULL DO NOTHING`, [
      tenantId,
      a,
      b,
      REVIEW_EDGE_RULE,
    ]);
  }
}

/** Closes the entry and writes its audit row; answers the audit record for identity.audit. */
async function writeDecision(
  trx: Knex.Transaction,
  tenantId: string,
  review: ReviewRow,
  request: ReviewDecisionRequest,
  at: number,
  d: { status: 'approved' | 'rejected'; auditId: string; action: 'merge' | 'reject'; profileId: string; others: readonly string[]; identifiers: readonly string[] },
): Promise<IdentityAudit> {
  await trx.raw(`UPDATE identity_reviews SET status = ?, decided_at = ${fromEpochMs('?')}, decided_by = ? WHERE tenant_id = ? AND id = ?`, [
    d.status,
    at,
    request.actor,
    tenantId,
    review.id,
  ]);
  const reason = request.reason ?? null;
  await trx.raw(
    `INSERT INTO identity_audit (tenant_id, id, action, profile_id, other_profile_ids, identifiers, rule, reason, actor, occurred_at, match_score, match_tier, match_fields)
     VALUES (?, ?, ?, ?, ?, ?::jsonb, 'manual', ?, ?, ${fromEpochMs('?')}, ?, ?, ?::jsonb)`,
    [
      tenantId,
      d.auditId,
      d.action,
      d.profileId,
      [...d.others],
      JSON.stringify(d.identifiers),
      reason,
      request.actor,
      at,
      review.match_score,
      review.match_tier,
      review.match_fields === null ? null : JSON.stringify(review.match_fields),
    ],
  );
  return {
    auditId: d.auditId,
    tenantId,
    action: d.action,
    profileId: d.profileId,
    otherProfileIds: [...d.others],
    identifiers: d.identifiers.map(identifierRecordOfKey),
    provenance: {
      messageId: null,
      sourceId: null,
      eventTimestamp: null,
      rule: 'manual',
      score: review.match_score,
      tier: review.match_tier,
      agreedFields: review.match_fields?.agreed ?? [],
      actor: request.actor,
      reason,
    },
    occurredAt: at,
  };
}
