/**
 * What reviewers rejected, as a rule the matcher keeps: a rejected entry (`POST
 * /v1/reviews/{id}/reject`, `stratum identity review reject`) says its profiles are different
 * people. Later imports neither merge those profiles on a match nor queue the pair again; only an
 * exact identifier they share (the same e-mail, user id) or a reviewer's approve joins them.
 *
 * Pairs are of profiles *as they are now*: each rejected entry's candidates followed to their
 * survivors, so a rejection holds for whatever the two sides were merged into since. An entry whose
 * sides were joined anyway (one survivor left) says nothing any more.
 */
import type { Knex } from 'knex';
import { CURRENT_PROFILES_SQL } from './current-profiles';

export interface RejectedPairs {
  /** Whether a reviewer rejected these two (current) profiles as one person. */
  has(a: string, b: string): boolean;
  /** Rejected pairs (0: nothing to check). */
  readonly size: number;
}

const pairKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);

/**
 * The tenant's rejected pairs. Rejections are people's decisions — hundreds, not millions — and
 * the partial index `identity_reviews_rejected` keeps the read to those rows.
 */
export async function readRejectedPairs(trx: Knex.Transaction, tenantId: string): Promise<RejectedPairs> {
  const { rows } = await trx.raw<{ rows: Array<{ survivors: string[] }> }>(
    `SELECT ${CURRENT_PROFILES_SQL} AS survivors
       FROM identity_reviews r
      WHERE r.tenant_id = ? AND r.status = 'rejected'`,
    [tenantId],
  );
  const pairs = new Set<string>();
  for (const { survivors } of rows) {
    const sides = survivors ?? [];
    for (let i = 0; i < sides.length; i++) for (let j = i + 1; j < sides.length; j++) pairs.add(pairKey(sides[i]!, sides[j]!));
  }
  return { has: (a, b) => a !== b && pairs.has(pairKey(a, b)), size: pairs.size };
}
