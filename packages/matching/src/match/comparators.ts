/**
 * Field comparators: each says how well two values agree as a level index (0 = best agreement,
 * the last level = disagreement) or MISSING when either side has no value — a missing value is
 * evidence of nothing, so it neither adds nor takes weight.
 */
import { jaroWinklerSimilarity, transpositionDistance } from './strings';

/** Either value is absent: the field is left out of the score. */
export const MISSING = -1;

/** Levels of a string compared by Jaro-Winkler: exact, close (≥ 0.92), similar (≥ 0.80), different. */
export const SIMILARITY_LEVELS = ['exact', 'close', 'similar', 'disagree'] as const;
const CLOSE = 0.92;
const SIMILAR = 0.8;

/** A string compared on the SIMILARITY_LEVELS scale. */
export function compareSimilar(a: string | null, b: string | null): number {
  if (a === null || b === null) return MISSING;
  if (a === b) return 0;
  const similarity = jaroWinklerSimilarity(a, b);
  return similarity >= CLOSE ? 1 : similarity >= SIMILAR ? 2 : 3;
}

/** Levels of an identifier that can carry one typo: exact, one edit (typo or swapped neighbours), different. */
export const TYPO_LEVELS = ['exact', 'one_edit', 'disagree'] as const;

/** An identifier compared on the TYPO_LEVELS scale. */
export function compareWithTypo(a: string | null, b: string | null): number {
  if (a === null || b === null) return MISSING;
  if (a === b) return 0;
  return transpositionDistance(a, b) <= 1 ? 1 : 2;
}

/** Levels of a value that only agrees or not. */
export const EXACT_LEVELS = ['exact', 'disagree'] as const;

/** Equal or not. */
export function compareExact(a: string | null, b: string | null): number {
  if (a === null || b === null) return MISSING;
  return a === b ? 0 : 1;
}

/**
 * Levels of a birth date: exact; one slip (a digit typo, swapped neighbouring digits, day and
 * month swapped); two of year, month and day agree (the third mistyped beyond one digit, e.g. a
 * year off by a decade); different.
 */
export const BIRTH_DATE_LEVELS = ['exact', 'one_slip', 'two_parts', 'disagree'] as const;

/** Birth dates as YYYYMMDD, compared on the BIRTH_DATE_LEVELS scale. */
export function compareBirthDates(a: string | null, b: string | null): number {
  if (a === null || b === null) return MISSING;
  if (a === b) return 0;
  const [ya, ma, da] = [a.slice(0, 4), a.slice(4, 6), a.slice(6, 8)];
  const [yb, mb, db] = [b.slice(0, 4), b.slice(4, 6), b.slice(6, 8)];
  const dayMonthSwapped = ya === yb && ma === db && da === mb;
  if (dayMonthSwapped || transpositionDistance(a, b) <= 1) return 1;
  const partsAgreeing = Number(ya === yb) + Number(ma === mb) + Number(da === db);
  return partsAgreeing >= 2 ? 2 : 3;
}
