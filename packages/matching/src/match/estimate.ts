/**
 * Estimating the model's probabilities from unlabelled records, the way Splink does:
 * - u (how often different people agree at each level) by comparing random pairs: almost every
 *   random pair is two different people, so their level frequencies are u;
 * - m (how often the same person agrees at each level) by expectation–maximisation over the
 *   blocked candidate pairs, with u held fixed: each pair is a mixture of match and non-match, EM
 *   alternates between each pair's match probability and the m that best explains them.
 * Run once (scripts/estimate-model.ts) and checked in: the thresholds and weights are then the
 * same for every data set.
 */
import { MISSING } from './comparators';
import { FIELDS } from './fields';
import type { MatchRecord } from './record';
import { compareRecords, type Scorer } from './score';

/** A small deterministic PRNG (mulberry32): the same sample on every run. */
function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Level frequencies per field over random pairs, smoothed so no level is impossible. */
export function estimateU(records: readonly MatchRecord[], scorer: Scorer, options: { samples?: number; seed?: number } = {}): number[][] {
  const samples = options.samples ?? 200_000;
  const random = randomSource(options.seed ?? 1);
  const counts = FIELDS.map((f) => new Array<number>(f.levels.length).fill(0));
  for (let s = 0; s < samples; s++) {
    const i = Math.floor(random() * records.length);
    const j = Math.floor(random() * records.length);
    if (i === j) continue;
    const { levels } = compareRecords(records[i]!, records[j]!, scorer);
    levels.forEach((level, f) => {
      if (level !== MISSING) counts[f]![level]!++;
    });
  }
  // Add-one smoothing: a level never seen among a few hundred thousand pairs is rare, not impossible.
  return counts.map((c) => {
    const total = c.reduce((a, b) => a + b, 0) + c.length;
    return c.map((k) => (k + 1) / total);
  });
}

export interface EmResult {
  readonly m: number[][];
  /** The share of candidate pairs that are matches. */
  readonly lambda: number;
  readonly iterations: number;
}

/** m by EM over comparison vectors (levels per field, MISSING allowed), u fixed. */
export function estimateM(
  vectors: readonly Int8Array[],
  u: readonly (readonly number[])[],
  initial: { m: readonly (readonly number[])[]; lambda: number },
  options: { maxIterations?: number; tolerance?: number; priorCount?: number } = {},
): EmResult {
  const maxIterations = options.maxIterations ?? 200;
  const tolerance = options.tolerance ?? 1e-7;
  // Pseudo-pairs added to every level (a Dirichlet prior): an error the sample happens not to
  // contain (FEBRL never mistypes a birth year beyond one digit) stays rare, not impossible.
  const prior = options.priorCount ?? 0;
  let m = initial.m.map((levels) => [...levels]);
  let lambda = initial.lambda;
  const logU = vectors.map((v) => logLikelihood(v, u));
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    const sums = m.map((levels) => levels.map(() => 0));
    let matchMass = 0;
    vectors.forEach((v, p) => {
      // P(match | vector), computed in log space: products of a dozen small numbers underflow.
      const a = Math.log(lambda) + logLikelihood(v, m);
      const b = Math.log(1 - lambda) + logU[p]!;
      const g = 1 / (1 + Math.exp(b - a));
      matchMass += g;
      v.forEach((level, f) => {
        if (level !== MISSING) sums[f]![level]! += g;
      });
    });
    const next = sums.map((levels) => {
      const total = levels.reduce((x, y) => x + y, 0) + levels.length * (prior + 1e-9);
      return levels.map((s) => (s + prior + 1e-9) / total);
    });
    const nextLambda = matchMass / vectors.length;
    const change = Math.max(Math.abs(nextLambda - lambda), ...next.flatMap((levels, f) => levels.map((p, l) => Math.abs(p - m[f]![l]!))));
    m = next;
    lambda = nextLambda;
    if (change < tolerance) return { m, lambda, iterations: iteration };
  }
  return { m, lambda, iterations: maxIterations };
}

function logLikelihood(vector: Int8Array, probabilities: readonly (readonly number[])[]): number {
  let sum = 0;
  vector.forEach((level, f) => {
    if (level !== MISSING) sum += Math.log(probabilities[f]![level]!);
  });
  return sum;
}
