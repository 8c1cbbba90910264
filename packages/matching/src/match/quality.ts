/**
 * Pairwise quality of a clustering against ground truth: every pair of records in one predicted
 * entity is a predicted match; every pair sharing a true entity id is a true match. Counted over
 * all true pairs, so duplicates that blocking never proposed count as missed.
 */

export interface PairwiseQuality {
  readonly truePairs: number;
  readonly predictedPairs: number;
  readonly correctPairs: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

/** Precision, recall and F1 of predicted cluster ids against true entity ids (same index order). */
export function pairwiseQuality(predicted: ArrayLike<number | string>, truth: ArrayLike<number | string>): PairwiseQuality {
  const pairsWithin = (sizes: Iterable<number>): number => {
    let total = 0;
    for (const s of sizes) total += (s * (s - 1)) / 2;
    return total;
  };
  const count = <K>(keys: K[]): Map<K, number> => {
    const m = new Map<K, number>();
    for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
    return m;
  };
  const n = predicted.length;
  const predictedKeys = Array.from({ length: n }, (_, i) => predicted[i]!);
  const trueKeys = Array.from({ length: n }, (_, i) => truth[i]!);
  const bothKeys = predictedKeys.map((p, i) => `${String(p)}\u0000${String(trueKeys[i])}`);
  const truePairs = pairsWithin(count(trueKeys).values());
  const predictedPairs = pairsWithin(count(predictedKeys).values());
  const correctPairs = pairsWithin(count(bothKeys).values());
  const precision = predictedPairs === 0 ? 1 : correctPairs / predictedPairs;
  const recall = truePairs === 0 ? 1 : correctPairs / truePairs;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { truePairs, predictedPairs, correctPairs, precision, recall, f1 };
}

/** The share of true pairs that blocking proposed (pairs given as record-index arrays). */
export function blockingRecall(left: ArrayLike<number>, right: ArrayLike<number>, truth: ArrayLike<number | string>): number {
  const trueSizes = new Map<number | string, number>();
  for (let i = 0; i < truth.length; i++) trueSizes.set(truth[i]!, (trueSizes.get(truth[i]!) ?? 0) + 1);
  let truePairs = 0;
  for (const s of trueSizes.values()) truePairs += (s * (s - 1)) / 2;
  let found = 0;
  for (let k = 0; k < left.length; k++) if (truth[left[k]!] === truth[right[k]!]) found++;
  return truePairs === 0 ? 1 : found / truePairs;
}
