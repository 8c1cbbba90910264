/**
 * The comparison form of free text: lower case, no diacritics, letters and digits separated by
 * single spaces. "Müller", "MULLER" and "müller " compare equal; the display form keeps the accents.
 */

// Letters that NFKD does not decompose into a base letter plus a mark.
const UNDECOMPOSABLE: Readonly<Record<string, string>> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i' };

/** Text folded for comparison: case and diacritics removed, apostrophes dropped, other punctuation as spaces. */
export function foldForComparison(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[ßæœøłđðþı]/g, (c) => UNDECOMPOSABLE[c] ?? c)
    .replace(/['’`]/g, '') // O'Brien and OBrien are the same name
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Null for text that is empty once trimmed; the trimmed text otherwise. */
export function presentText(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}
