/**
 * The string metrics and phonetic codes matching uses, from libraries rather than our own code:
 * talisman (Jaro-Winkler, Damerau-Levenshtein, Double Metaphone) and fastest-levenshtein. One
 * module so a change of library touches one file.
 */
import damerauLevenshtein from 'talisman/metrics/damerau-levenshtein';
import jaroWinkler from 'talisman/metrics/jaro-winkler';
import doubleMetaphone from 'talisman/phonetics/double-metaphone';
import { distance } from 'fastest-levenshtein';

/** Jaro-Winkler similarity in [0, 1]: 1 for equal strings. */
export function jaroWinklerSimilarity(a: string, b: string): number {
  return a === b ? 1 : jaroWinkler(a, b);
}

/** Levenshtein distance (insert, delete, substitute). */
export function levenshteinDistance(a: string, b: string): number {
  return distance(a, b);
}

/** Edit distance that also counts a transposition of neighbours ("1234" → "1324") as one edit. */
export function transpositionDistance(a: string, b: string): number {
  return a === b ? 0 : damerauLevenshtein(a, b);
}

/** Primary Double Metaphone code of a word (letters only), or null when it has none. */
export function phoneticCode(word: string | null): string | null {
  if (word === null) return null;
  const letters = word.replace(/[^a-z]/g, '');
  if (letters === '') return null;
  const [primary] = doubleMetaphone(letters);
  return primary === '' ? null : primary;
}
