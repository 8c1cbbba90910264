/** The shape of a Fellegi–Sunter model: per field and level, m and u; the decision thresholds. */
import type { FieldName } from './fields';

/** m = P(level | same person), u = P(level | different people); one entry per level of the field. */
export interface FieldProbabilities {
  readonly m: readonly number[];
  readonly u: readonly number[];
}

export interface MatchThresholds {
  /** Score (sum of log2 weights) at or above which two records are merged without a person looking. */
  readonly autoMerge: number;
  /** Score at or above which (and below autoMerge) a pair goes to the review queue. */
  readonly review: number;
  /**
   * Score below which two records are known apart: clustering never joins two groups that hold
   * such a pair, so a chain of good links cannot fuse two people who plainly differ.
   */
  readonly cannotLink: number;
}

export interface MatchModel {
  readonly fields: Readonly<Record<FieldName, FieldProbabilities>>;
  readonly thresholds: MatchThresholds;
  /** How the probabilities were obtained (kept with them, for the audit of the model itself). */
  readonly provenance: string;
}

/**
 * log2(m/u) per level: what each level adds to (or takes from) a pair's score. Kept monotone — a
 * closer agreement never weighs less than a looser one — since a sample that happens to lack an
 * error would otherwise make "almost equal" count as worse than "different".
 */
export function levelWeights(p: FieldProbabilities): number[] {
  const weights = p.m.map((m, level) => Math.log2(m / p.u[level]!));
  for (let level = weights.length - 2; level >= 0; level--) weights[level] = Math.max(weights[level]!, weights[level + 1]!);
  return weights;
}
