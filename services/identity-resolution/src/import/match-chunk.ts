/**
 * The fuzzy decisions of one tenant's chunk of imported rows, pure: each row against the stored
 * records that share a blocking key with it (the tenant's in-memory record index) and against
 * the chunk's earlier rows (duplicates within one file are the main case). Rows that share an
 * exact identifier need no decision here: the identity graph links them (resolve/plan.ts).
 *
 * Per row, the pairs the model gives a merge action (tier strong: at or above auto-merge with more
 * than the names agreeing; tier exact: a strong identifier agrees and the score reaches review) become
 * links — strongest first, each kept only if it does not score below the model's cannot-link
 * threshold against a link already kept (the library's chain guard, per row: one false link would
 * fuse two people, and a row linking records that contradict each other is a person's call) — and
 * the pairs in between (tier fuzzy, or names alone) become review entries.
 *
 * Place fields are weighed by how common their value is among the tenant's records (stored and the
 * chunk's earlier rows): two strangers in one big town share a suburb and a postcode, which the
 * model's fixed weights would count as strong evidence (@stratum/matching, term frequencies).
 */
import { combinedFrequencies, compareRecords, decide, mayReach, scorerOf, type FrequencySource, type MatchDecision, type MatchRecord, type Scorer } from '@stratum/matching';
import { TenantRecords } from './tenant-records';

export interface MatchCandidate {
  readonly match: MatchRecord;
  /** Its record identifier's key (the graph node). */
  readonly recordKey: string;
}

export interface RowMatch {
  readonly recordKey: string;
  readonly decision: MatchDecision;
}

export interface RowDecisions {
  /** Links to make (merge action), strongest first. */
  readonly links: readonly RowMatch[];
  /** Borderline pairs for the review queue (and links the guard held back). */
  readonly reviews: readonly RowMatch[];
  /** Pairs compared for this row. */
  readonly compared: number;
}

export interface ChunkMatchOptions {
  /** Blocks over this size are skipped (a placeholder value says nothing about identity). Default 1000. */
  readonly maxBlockSize?: number;
  /**
   * Rows of the chunk before, not committed yet: matched against as if stored (they will be when
   * this chunk's decisions are used; import-resolver.ts checks).
   */
  readonly pending?: readonly MatchCandidate[];
}

/**
 * Each row against the stored records (the tenant's records, caught up under the import lock) and
 * the chunk's earlier rows, which share the stored records' blocking passes.
 */
export function matchChunk(rows: readonly MatchCandidate[], stored: TenantRecords, modelScorer: Scorer, options: ChunkMatchOptions = {}): RowDecisions[] {
  const maxBlockSize = options.maxBlockSize ?? 1000;
  const earlier = new TenantRecords(stored.passes);
  // Rows of a chunk not committed yet, to be matched against as stored (and counted) when this one is.
  options.pending?.forEach((p) => earlier.add(p));
  const scorer = scorerOf(modelScorer.model, { frequencies: readOncePerChunk(combinedFrequencies(stored.counts, earlier.counts)) });
  const { review, cannotLink } = scorer.model.thresholds;
  const recordOf = (key: string): MatchRecord => (earlier.get(key) ?? stored.get(key))!.match;
  const out: RowDecisions[] = [];
  for (const row of rows) {
    const seen = new Set<string>([row.recordKey]);
    const merges: RowMatch[] = [];
    const reviews: RowMatch[] = [];
    let compared = 0;
    stored.passes.forEach((pass, p) => {
      const key = pass.key(row.match);
      if (key === null) return;
      const old = stored.block(p, key) ?? [];
      const recent = earlier.block(p, key) ?? [];
      if (old.length + recent.length > maxBlockSize) return;
      for (const block of [old, recent]) {
        for (const candidate of block) {
          if (seen.has(candidate.recordKey)) continue;
          seen.add(candidate.recordKey);
          compared++;
          // Most blocked pairs are strangers: rule them out without the string metrics and frequencies.
          if (!mayReach(row.match, candidate.match, scorer, review)) continue;
          const comparison = compareRecords(row.match, candidate.match, scorer);
          if (comparison.score < review) continue;
          const decision = decide(row.match, candidate.match, scorer, comparison);
          if (decision.action === 'merge') merges.push({ recordKey: candidate.recordKey, decision });
          else if (decision.action !== 'none') reviews.push({ recordKey: candidate.recordKey, decision });
        }
      }
    });
    merges.sort((a, b) => b.decision.score - a.decision.score || (a.recordKey < b.recordKey ? -1 : 1));
    const links: RowMatch[] = [];
    for (const m of merges) {
      const contradicts = links.some((l) => compareRecords(recordOf(l.recordKey), recordOf(m.recordKey), scorer).score < cannotLink);
      if (contradicts) reviews.push(m);
      else links.push(m);
    }
    out.push({ links, reviews: reviews.sort((a, b) => b.decision.score - a.decision.score), compared });
    earlier.add(row);
  }
  return out;
}

/**
 * A value's frequency as first read in the chunk: a chunk asks for the same few place values in
 * most of its comparisons (a fifth of the matcher's time at 100k records), and a chunk's own rows
 * move a value's share by a negligible amount.
 */
function readOncePerChunk(source: FrequencySource): FrequencySource {
  const byField = new Map<string, Map<string, number | undefined>>();
  return (field, value) => {
    let cache = byField.get(field);
    if (cache === undefined) byField.set(field, (cache = new Map()));
    if (cache.has(value)) return cache.get(value);
    const frequency = source(field, value);
    cache.set(value, frequency);
    return frequency;
  };
}
