/**
 * Deciding many entries of the review queue at once, chosen by what they are (reason, score
 * range) rather than one by one: a person who checked a sample of the fuzzy matches above some
 * score and found them right approves the rest of them, or rejects those below another. A bulk
 * import can leave hundreds of thousands of entries; nobody decides those one at a time.
 *
 * Each entry is decided exactly as `approveReview` / `rejectReview` decide one, in its own
 * transaction (merge, traits rebuilt, audit, outbox): a run stopped part-way leaves what it
 * decided decided and the rest open, and the same command again picks up the rest. An entry
 * someone else decided meanwhile is counted, not an error.
 */
import type { Db } from '@stratum/db';
import { withTenant } from '../tenant-scope';
import { approveReview, rejectReview, reviewErrors, type ReviewDecisionRequest } from './decide-review';
import { readReviews, type ReviewPageKey } from './list-reviews';

export interface ReviewSelection {
  /** Only entries of this reason (fuzzy_match, anomaly_guard, …); null: any. */
  readonly reason: string | null;
  /** Only entries scoring at least this; null: no lower bound. */
  readonly minScore: number | null;
  /** Only entries scoring below this; null: no upper bound. */
  readonly maxScore: number | null;
  /** true: only entries whose profiles are one already; false: only those naming two or more; null: both. */
  readonly settled: boolean | null;
  /** At most this many entries, the oldest first; null: every one selected. */
  readonly limit: number | null;
}

export interface BulkReviewResult {
  readonly action: 'approve' | 'reject';
  readonly dryRun: boolean;
  /** Open entries the selection named when the run started. */
  readonly selected: number;
  /** Entries this run decided (dry run: none). */
  readonly decided: number;
  /** Approve: profiles merged into another by this run; entries whose profiles were one already merge nothing. */
  readonly profilesMerged: number;
  /** Entries someone else decided between the selection and their turn. */
  readonly decidedMeanwhile: number;
  /** The entries selected, oldest first (decided, or with --dry-run those that would be). */
  readonly reviewIds: readonly string[];
}

export interface BulkReviewOptions {
  readonly dryRun?: boolean;
  /** Called after each entry: how many of `selected` are done. */
  readonly onProgress?: (done: number, selected: number) => void;
  readonly now?: () => number;
}

const PAGE = 1000;

/** The open entries `selection` names, oldest first, read no further than the limit. */
async function selectOpen(db: Db, tenantId: string, selection: ReviewSelection): Promise<string[]> {
  const ids: string[] = [];
  const filter = { status: 'open' as const, reason: selection.reason, minScore: selection.minScore, maxScore: selection.maxScore, settled: selection.settled };
  let after: ReviewPageKey | null = null;
  do {
    const wanted = selection.limit === null ? PAGE : Math.min(PAGE, selection.limit - ids.length);
    const page = await withTenant(db, tenantId, (trx) => readReviews(trx, tenantId, filter, wanted, after, 'oldest'));
    ids.push(...page.reviews.map((r) => r.id));
    after = page.next;
  } while (after !== null && (selection.limit === null || ids.length < selection.limit));
  return ids;
}

export async function decideReviews(
  db: Db,
  tenantId: string,
  action: 'approve' | 'reject',
  selection: ReviewSelection,
  request: Omit<ReviewDecisionRequest, 'reviewId'>,
  options: BulkReviewOptions = {},
): Promise<BulkReviewResult> {
  if (selection.reason === null && selection.minScore === null && selection.maxScore === null && selection.settled !== true) {
    throw reviewErrors.error('review_selection_missing', 'name the entries: a reason, a minimum and/or a maximum score, or the settled ones (list them first)');
  }
  const reviewIds = await selectOpen(db, tenantId, selection);
  const base = { action, dryRun: options.dryRun === true, selected: reviewIds.length, reviewIds };
  if (options.dryRun) return { ...base, decided: 0, profilesMerged: 0, decidedMeanwhile: 0 };
  const decide = action === 'approve' ? approveReview : rejectReview;
  let decided = 0;
  let profilesMerged = 0;
  let decidedMeanwhile = 0;
  for (const reviewId of reviewIds) {
    try {
      const decision = await decide(db, tenantId, { ...request, reviewId }, options.now);
      decided++;
      profilesMerged += decision.mergedProfileIds.length;
    } catch (err) {
      if (!reviewErrors.is(err, 'review_decided')) {
        // Whatever failed (the database gone, say), what was decided stays decided: say how far it got.
        if (err instanceof Error) err.message = `${err.message} (after deciding ${decided + decidedMeanwhile} of ${reviewIds.length} entries; the same selection again decides the rest)`;
        throw err;
      }
      decidedMeanwhile++;
    }
    options.onProgress?.(decided + decidedMeanwhile, reviewIds.length);
  }
  return { ...base, decided, profilesMerged, decidedMeanwhile };
}
