/**
 * The Fellegi–Sunter score of a pair: each field's agreement level weighs log2(m/u), the weights
 * add up (missing fields add nothing), and the sum against the model's thresholds gives the tier.
 * Given and family names are also tried crossed over, since sources put one in the other's column.
 */
import type { MatchTier } from '@stratum/schemas';
import { MISSING, compareSimilar } from './comparators';
import { FAMILY, FIELDS, GIVEN, PERSONAL, type FieldName } from './fields';
import { levelWeights, type MatchModel } from './model-types';
import type { MatchRecord } from './record';

/** A model with its weights computed once. */
export interface Scorer {
  readonly model: MatchModel;
  /** weights[field][level]. */
  readonly weights: readonly (readonly number[])[];
}

/** Prepares a model for scoring. */
export function scorerOf(model: MatchModel): Scorer {
  return { model, weights: FIELDS.map((f) => levelWeights(model.fields[f.name])) };
}

/** The levels two records reach, field by field (MISSING where either has no value). */
export interface Comparison {
  readonly levels: Int8Array;
  readonly score: number;
  /** Given and family names matched crossed over. */
  readonly namesSwapped: boolean;
}

/** Compares two records on every field and sums the weights. */
export function compareRecords(a: MatchRecord, b: MatchRecord, scorer: Scorer): Comparison {
  const levels = new Int8Array(FIELDS.length);
  for (let f = 0; f < FIELDS.length; f++) levels[f] = FIELDS[f]!.compare(a, b);
  let namesSwapped = false;
  if (a.given !== null && a.family !== null && b.given !== null && b.family !== null && levels[GIVEN]! + levels[FAMILY]! > 0) {
    const givenCrossed = compareSimilar(a.given, b.family);
    const familyCrossed = compareSimilar(a.family, b.given);
    const straight = scorer.weights[GIVEN]![levels[GIVEN]!]! + scorer.weights[FAMILY]![levels[FAMILY]!]!;
    const crossed = scorer.weights[GIVEN]![givenCrossed]! + scorer.weights[FAMILY]![familyCrossed]!;
    if (crossed > straight) {
      levels[GIVEN] = givenCrossed;
      levels[FAMILY] = familyCrossed;
      namesSwapped = true;
    }
  }
  let score = 0;
  for (let f = 0; f < FIELDS.length; f++) {
    const level = levels[f]!;
    if (level !== MISSING) score += scorer.weights[f]![level]!;
  }
  return { levels, score, namesSwapped };
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
  const agrees = (f: number): boolean => comparison.levels[f] !== MISSING && scorer.weights[f]![comparison.levels[f]!]! > 0;
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
  return comparison.score >= autoMerge && corroborated && named && personal ? { tier: 'strong', action: 'merge' } : { tier: 'fuzzy', action: 'review' };
}

/** The full, explained decision for a pair. */
export function decide(a: MatchRecord, b: MatchRecord, scorer: Scorer, comparison: Comparison = compareRecords(a, b, scorer)): MatchDecision {
  const evidence: FieldEvidence[] = [];
  FIELDS.forEach((f, i) => {
    const level = comparison.levels[i]!;
    if (level !== MISSING) evidence.push({ field: f.name, level: f.levels[level]!, weight: scorer.weights[i]![level]! });
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
