/**
 * The Fellegi–Sunter score of a pair: each field's agreement level weighs log2(m/u), the weights
 * add up (missing fields add nothing), and the sum against the model's thresholds gives the tier.
 * Given and family names are also tried crossed over, since sources put one in the other's column.
 * With a frequency source, agreements on common values weigh less (term-frequency adjustment).
 */
import type { MatchTier } from '@stratum/schemas';
import { MISSING, compareSimilar } from './comparators';
import { FAMILY, FIELDS, GIVEN, PERSONAL, type FieldName } from './fields';
import type { FrequencySource } from './frequencies';
import { levelWeights, type MatchModel } from './model-types';
import type { MatchRecord } from './record';

/** A model with its weights computed once, and optionally a term-frequency source. */
export interface Scorer {
  readonly model: MatchModel;
  /** weights[field][level]: the model's weights, before any term-frequency adjustment. */
  readonly weights: readonly (readonly number[])[];
  /** best[field]: the most a field can add to a score (its exact level's weight, never below 0). */
  readonly best: Float64Array;
  /** How common each value is (term-frequency adjustment); absent: the model's weights as they are. */
  readonly frequencies?: FrequencySource;
}

export interface ScorerOptions {
  /**
   * Term frequencies of the records being matched (`valueFrequencies` for a batch, a
   * `ValueCounts` kept up to date for a stream). With them, an agreement on a value more common
   * than the model's u weighs less (see `adjustedWeight`); without them, scoring is as before.
   */
  readonly frequencies?: FrequencySource;
}

const modelWeights = new WeakMap<MatchModel, { weights: readonly (readonly number[])[]; best: Float64Array }>();

/**
 * Prepares a model for scoring, with the records' term frequencies if given. Cheap after the
 * first call per model (the weights are kept), so a stream consumer can make one per tenant and
 * chunk around that tenant's counts.
 */
export function scorerOf(model: MatchModel, options: ScorerOptions = {}): Scorer {
  let prepared = modelWeights.get(model);
  if (prepared === undefined) {
    const weights = FIELDS.map((f) => levelWeights(model.fields[f.name]));
    prepared = { weights, best: Float64Array.from(weights, (levels) => Math.max(0, ...levels)) };
    modelWeights.set(model, prepared);
  }
  const { weights, best } = prepared;
  return options.frequencies === undefined ? { model, weights, best } : { model, weights, best, frequencies: options.frequencies };
}

/** The levels two records reach, field by field (MISSING where either has no value), and what each weighs. */
export interface Comparison {
  readonly levels: Int8Array;
  /** The weight of each field's level for this pair (term-frequency adjusted); 0 where MISSING. */
  readonly weights: Float64Array;
  readonly score: number;
  /** Given and family names matched crossed over. */
  readonly namesSwapped: boolean;
}

/**
 * The weight of `level` on field `f` for values `x` and `y` (equal at the exact level), adjusted
 * for term frequency the way Splink does it: the model's u of an exact agreement is the chance
 * that two different people share *some* value; for one value it is that value's frequency. Here
 * the adjustment is one-sided — u = max(model u, frequency) — so a value commoner than the model
 * assumed (a big town's postcode, "smith") weighs less, and a rare one weighs what the model says:
 * the thresholds were set on those weights, and a share counted among the records seen so far
 * cannot lift them. An inexact agreement is scaled by the same ratio, on the commoner of the two
 * values (a typo of a common value is as unremarkable as the value; this also keeps "close" from
 * outweighing "exact"). An agreement never weighs below zero; disagreements are left alone.
 */
function adjustedWeight(scorer: Scorer, f: number, level: number, x: string | null, y: string | null, crossed: boolean): number {
  const weight = scorer.weights[f]![level]!;
  const frequencies = scorer.frequencies;
  const spec = FIELDS[f]!;
  if (frequencies === undefined || spec.termValue === null || weight <= 0 || x === null || y === null) return weight;
  const frequency = Math.max(frequencyOf(frequencies, spec.name, x, crossed), x === y ? 0 : frequencyOf(frequencies, spec.name, y, crossed));
  const u = scorer.model.fields[spec.name].u[0]!;
  if (!(frequency > u)) return weight;
  return Math.max(0, weight - Math.log2(frequency / u));
}

/** A name compared crossed over is looked up in both name columns: the commoner use counts. */
function frequencyOf(frequencies: FrequencySource, field: FieldName, value: string, crossed: boolean): number {
  const own = frequencies(field, value) ?? 0;
  if (!crossed) return own;
  return Math.max(own, frequencies(field === 'given_name' ? 'family_name' : 'given_name', value) ?? 0);
}

/** Compares two records on every field and sums the weights. */
export function compareRecords(a: MatchRecord, b: MatchRecord, scorer: Scorer): Comparison {
  const levels = new Int8Array(FIELDS.length);
  const weights = new Float64Array(FIELDS.length);
  for (let f = 0; f < FIELDS.length; f++) {
    const level = FIELDS[f]!.compare(a, b);
    levels[f] = level;
    if (level !== MISSING) {
      const termValue = FIELDS[f]!.termValue;
      weights[f] = termValue === null ? scorer.weights[f]![level]! : adjustedWeight(scorer, f, level, termValue(a), termValue(b), false);
    }
  }
  let namesSwapped = false;
  if (a.given !== null && a.family !== null && b.given !== null && b.family !== null && levels[GIVEN]! + levels[FAMILY]! > 0) {
    const givenCrossed = compareSimilar(a.given, b.family);
    const familyCrossed = compareSimilar(a.family, b.given);
    const givenWeight = adjustedWeight(scorer, GIVEN, givenCrossed, a.given, b.family, true);
    const familyWeight = adjustedWeight(scorer, FAMILY, familyCrossed, a.family, b.given, true);
    if (givenWeight + familyWeight > weights[GIVEN]! + weights[FAMILY]!) {
      levels[GIVEN] = givenCrossed;
      levels[FAMILY] = familyCrossed;
      weights[GIVEN] = givenWeight;
      weights[FAMILY] = familyWeight;
      namesSwapped = true;
    }
  }
  let score = 0;
  for (let f = 0; f < FIELDS.length; f++) score += weights[f]!;
  return { levels, weights, score, namesSwapped };
}

/**
 * Fields in the order the bound below compares them: the cheap equality checks first, then the
 * edit distances, then Jaro-Winkler on the place strings; the names last, since blocking puts
 * records with similar names together and a name agreeing rarely rules a pair out.
 */
const BOUND_ORDER: readonly number[] = ['email', 'phone', 'street_number', 'region', 'national_id', 'postcode', 'birth_date', 'locality', 'street', 'address_line_2'].map((name) =>
  FIELDS.findIndex((f) => f.name === name),
);

/**
 * Whether `compareRecords(a, b, scorer).score` can reach `floor`, answered from as few fields as
 * possible: it starts from the most every field could add and takes off, field by field, what the
 * pair's level falls short of that, stopping once the rest could not lift it back to `floor`.
 * Term-frequency adjustment only ever lowers an agreement's weight, so the unadjusted weights are
 * an upper bound and no frequency is looked up; names crossed over count at their better reading.
 * False means the pair scores below `floor`; true means it may (compare it to know). Most blocked
 * pairs are strangers it rules out (three in four at 100k generated rows, most of them once the
 * place strings disagree, before the names), so the full comparison, frequency look-ups included,
 * runs on the few that may reach the review threshold.
 */
export function mayReach(a: MatchRecord, b: MatchRecord, scorer: Scorer, floor: number): boolean {
  const { weights, best } = scorer;
  // The bound sums in another order than compareRecords: a hair of slack keeps rounding from
  // ruling out a pair that scores exactly the floor.
  floor -= 1e-9;
  let bound = 0;
  for (let f = 0; f < best.length; f++) bound += best[f]!;
  for (const f of BOUND_ORDER) {
    const level = FIELDS[f]!.compare(a, b);
    bound -= best[f]! - (level === MISSING ? 0 : weights[f]![level]!);
    if (bound < floor) return false;
  }
  const given = compareSimilar(a.given, b.given);
  const family = compareSimilar(a.family, b.family);
  const direct = (given === MISSING ? 0 : weights[GIVEN]![given]!) + (family === MISSING ? 0 : weights[FAMILY]![family]!);
  bound -= best[GIVEN]! + best[FAMILY]! - direct;
  if (bound >= floor) return true;
  if (a.given === null || a.family === null || b.given === null || b.family === null || given + family === 0) return false;
  const crossed = weights[GIVEN]![compareSimilar(a.given, b.family)]! + weights[FAMILY]![compareSimilar(a.family, b.given)]!;
  return bound + Math.max(0, crossed - direct) >= floor;
}

/** What one field contributed to a decision. */
export interface FieldEvidence {
  readonly field: FieldName;
  /** The level's label, e.g. exact, close, one_edit, disagree. */
  readonly level: string;
  readonly weight: number;
}

/** What to do with a pair: merge it, queue it for a person, or leave it. */
export type MatchAction = 'merge' | 'review' | 'none';

/** A scored pair with everything an audit record needs (rule, score, tier, agreed fields). */
export interface MatchDecision {
  readonly a: string;
  readonly b: string;
  readonly score: number;
  /** exact: a strong identifier agrees exactly; strong: above auto-merge; fuzzy: review; null: no link. */
  readonly tier: MatchTier | null;
  readonly action: MatchAction;
  readonly rule: 'fuzzy:fellegi_sunter';
  readonly namesSwapped: boolean;
  /** Fields whose level adds weight (for the audit's agreedFields). */
  readonly agreed: readonly FieldName[];
  /** Fields whose level takes weight away. */
  readonly disagreed: readonly FieldName[];
  /** Every compared field with its level and weight; missing fields are left out. */
  readonly evidence: readonly FieldEvidence[];
}

/** The tier and action a comparison earns under the model's thresholds. */
export function classify(comparison: Comparison, scorer: Scorer): { tier: MatchTier | null; action: MatchAction } {
  const { autoMerge, review } = scorer.model.thresholds;
  if (comparison.score < review) return { tier: null, action: 'none' };
  const agrees = (f: number): boolean => comparison.levels[f] !== MISSING && comparison.weights[f]! > 0;
  // A shared exact strong identifier (national id, email, phone) with nothing that outweighs it.
  if (FIELDS.some((f, i) => f.strongIdentifier && comparison.levels[i] === 0)) return { tier: 'exact', action: 'merge' };
  // Never merge on a name alone, however rare the name looked when the model was estimated:
  // two John Smiths with nothing else known go to a person.
  const corroborated = FIELDS.some((_, i) => i !== GIVEN && i !== FAMILY && agrees(i));
  // Nor on a place alone: an address is worth ~25 bits, enough to outweigh two disagreeing names,
  // and flatmates or a household share one. A strong merge needs a name that agrees too.
  const named = agrees(GIVEN) || agrees(FAMILY);
  // And a family name plus a suburb is a relative next door, not the same person: unless both
  // names agree, something personal (birth date, national id, email, phone) must agree as well.
  const personal = PERSONAL.some(agrees) || (agrees(GIVEN) && agrees(FAMILY));
  // Nor when every personal field the two records both have contradicts: namesakes in one town,
  // born years apart, with different national ids, are two people however much the place agrees
  // (the place fields are not independent evidence: a suburb implies its postcode and state).
  const known = PERSONAL.filter((i) => comparison.levels[i] !== MISSING);
  const contradicted = known.length > 0 && known.every((i) => comparison.weights[i]! < 0);
  return comparison.score >= autoMerge && corroborated && named && personal && !contradicted ? { tier: 'strong', action: 'merge' } : { tier: 'fuzzy', action: 'review' };
}

/** The full, explained decision for a pair. */
export function decide(a: MatchRecord, b: MatchRecord, scorer: Scorer, comparison: Comparison = compareRecords(a, b, scorer)): MatchDecision {
  const evidence: FieldEvidence[] = [];
  FIELDS.forEach((f, i) => {
    const level = comparison.levels[i]!;
    if (level !== MISSING) evidence.push({ field: f.name, level: f.levels[level]!, weight: comparison.weights[i]! });
  });
  const { tier, action } = classify(comparison, scorer);
  return {
    a: a.id,
    b: b.id,
    score: comparison.score,
    tier,
    action,
    rule: 'fuzzy:fellegi_sunter',
    namesSwapped: comparison.namesSwapped,
    agreed: evidence.filter((e) => e.weight > 0).map((e) => e.field),
    disagreed: evidence.filter((e) => e.weight < 0).map((e) => e.field),
    evidence,
  };
}
