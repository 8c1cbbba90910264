/**
 * Matching a batch of records end to end: block, score every candidate pair, keep the pairs that
 * reach the review threshold as explained decisions, and cluster the auto-merge links into
 * entities (with the cannot-link guard).
 */
import { candidatePairs, type BlockingOptions, type PassReport } from './blocking';
import { clusterLinks, type ScoredLink } from './cluster';
import type { MatchRecord } from './record';
import { compareRecords, decide, mayReach, type MatchDecision, type Scorer } from './score';

export interface LinkOptions extends BlockingOptions {
  /** Apply the cannot-link guard when clustering (default true). */
  readonly guardChains?: boolean;
  /**
   * Rule pairs out by `mayReach` before comparing them in full (default true). Off, every blocked
   * pair is compared in full: the same decisions, the reference `pnpm bench matching` measures
   * the bound against.
   */
  readonly bound?: boolean;
}

export interface LinkResult {
  /** Pairs at or above the review threshold (merges and reviews), explained. */
  readonly decisions: readonly MatchDecision[];
  /** Cluster id per record index (the smallest index in its cluster). */
  readonly clusterOf: Uint32Array;
  readonly stats: {
    readonly records: number;
    /** Candidate pairs scored. */
    readonly pairsCompared: number;
    /** n(n-1)/2: what comparing everything would have cost. */
    readonly allPairs: number;
    readonly passes: readonly PassReport[];
    readonly merges: number;
    readonly reviews: number;
  };
}

/** Matches a batch of records into entities with explained decisions. */
export function linkRecords(records: readonly MatchRecord[], scorer: Scorer, options: LinkOptions = {}): LinkResult {
  const candidates = candidatePairs(records, options);
  const decisions: MatchDecision[] = [];
  const mergeLinks: ScoredLink[] = [];
  let reviews = 0;
  const { review, cannotLink } = scorer.model.thresholds;
  const bound = options.bound !== false;
  for (let k = 0; k < candidates.left.length; k++) {
    const i = candidates.left[k]!;
    const j = candidates.right[k]!;
    if (bound && !mayReach(records[i]!, records[j]!, scorer, review)) continue;
    const comparison = compareRecords(records[i]!, records[j]!, scorer);
    if (comparison.score < review) continue;
    const decision = decide(records[i]!, records[j]!, scorer, comparison);
    decisions.push(decision);
    if (decision.action === 'merge') mergeLinks.push({ left: i, right: j, score: decision.score });
    else reviews++;
  }
  const conflict = (x: number, y: number): boolean => compareRecords(records[x]!, records[y]!, scorer).score < cannotLink;
  const clusterOf = clusterLinks(records.length, mergeLinks, options.guardChains === false ? {} : { conflict });
  const n = records.length;
  return {
    decisions,
    clusterOf,
    stats: { records: n, pairsCompared: candidates.left.length, allPairs: (n * (n - 1)) / 2, passes: candidates.passes, merges: mergeLinks.length, reviews },
  };
}
