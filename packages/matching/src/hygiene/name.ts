/**
 * Person names into given / middle / family. Structured sources give the parts (cleanNameParts);
 * others give one string (parsePersonName), in "First Middle Last" or "Last, First Middle" form.
 * Titles and suffixes are taken off: "Dr" and "Jr" say nothing about who someone is, and left in
 * they would make the same person disagree with herself. Display case is restored ("mcdonald" →
 * "McDonald"); diacritics stay in the display form and are folded only for comparison.
 */
import { foldForComparison, presentText } from './fold';
import type { Cleaned, Problem } from './problems';

/** A person's name in its parts; a missing part is null. */
export interface PersonName {
  readonly given: string | null;
  readonly middle: string | null;
  readonly family: string | null;
}

const TITLES = new Set(['mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'prof', 'professor', 'sir', 'dame', 'lady', 'lord', 'rev', 'reverend', 'fr', 'herr', 'frau', 'mme', 'mlle', 'sr', 'sra', 'srta']);
const SUFFIXES = new Set(['jr', 'jnr', 'junior', 'sr', 'snr', 'senior', 'ii', 'iii', 'iv', 'phd', 'md', 'esq', 'dds', 'jp', 'oam', 'am', 'ao']);
// Lower-case particles of family names: "van der Berg" keeps them together, and in lower case.
const PARTICLES = new Set(['van', 'von', 'der', 'den', 'de', 'del', 'della', 'da', 'di', 'du', 'la', 'le', 'st', 'ten', 'ter', 'bin', 'binti', 'al']);

/** Parses one name string: "Dr. Jane Q. Doe Jr.", "DOE, JANE Q", "jane doe". */
export function parsePersonName(raw: string | null | undefined): Cleaned<PersonName> {
  const text = presentText(raw);
  if (text === null) return { value: null, problems: [{ field: 'name', code: 'name_empty' }] };
  const problems: Problem[] = [];
  if (/\d/.test(text)) problems.push({ field: 'name', code: 'name_has_digits', input: text });

  const comma = text.indexOf(',');
  // "Last, First Middle" — unless what follows the comma is only a suffix ("Doe, Jr.").
  const afterComma = comma >= 0 ? tokens(text.slice(comma + 1)) : [];
  const lastFirst = comma >= 0 && afterComma.some((t) => !SUFFIXES.has(bare(t)));
  let familyTokens: string[];
  let otherTokens: string[];
  if (lastFirst) {
    familyTokens = stripAffixes(tokens(text.slice(0, comma)), problems);
    otherTokens = stripAffixes(afterComma, problems);
  } else {
    const all = stripAffixes(tokens(text.replace(',', ' ')), problems);
    const familyStart = familyStartIndex(all);
    familyTokens = all.slice(familyStart);
    otherTokens = all.slice(0, familyStart);
  }
  if (familyTokens.length + otherTokens.length === 0) return { value: null, problems: [...problems, { field: 'name', code: 'name_empty' }] };
  if (otherTokens.length === 0 && !lastFirst) {
    // One word: we cannot tell a given name from a family name, so it is kept as the family name.
    problems.push({ field: 'name', code: 'name_single_token', input: text });
  }
  const [given, ...middle] = otherTokens;
  return {
    value: {
      given: given === undefined ? null : displayCase(given),
      middle: middle.length === 0 ? null : middle.map(displayCase).join(' '),
      family: familyTokens.length === 0 ? null : familyTokens.map(displayCase).join(' '),
    },
    problems,
  };
}

/** Cleans name parts a source already separated: trims, drops titles and suffixes, restores case. */
export function cleanNameParts(parts: { given?: string | null; middle?: string | null; family?: string | null }): Cleaned<PersonName> {
  const problems: Problem[] = [];
  const clean = (value: string | null | undefined, field: string): string | null => {
    const text = presentText(value);
    if (text === null) return null;
    if (/\d/.test(text)) problems.push({ field, code: 'name_has_digits', input: text });
    const kept = stripAffixes(tokens(text.replace(/,/g, ' ')), problems);
    return kept.length === 0 ? null : kept.map(displayCase).join(' ');
  };
  const value = { given: clean(parts.given, 'given_name'), middle: clean(parts.middle, 'middle_name'), family: clean(parts.family, 'family_name') };
  if (value.given === null && value.middle === null && value.family === null) return { value: null, problems: [...problems, { field: 'name', code: 'name_empty' }] };
  return { value, problems };
}

function tokens(text: string): string[] {
  return text.split(/\s+/).filter((t) => t !== '' && t !== '.');
}

/** A token without dots and in lower case, to look up in the title and suffix lists. */
function bare(token: string): string {
  return foldForComparison(token).replace(/\s/g, '');
}

function stripAffixes(list: string[], problems: Problem[]): string[] {
  const kept = [...list];
  while (kept.length > 1 && TITLES.has(bare(kept[0]!))) {
    kept.shift();
    problems.push({ field: 'name', code: 'name_title_removed' });
  }
  while (kept.length > 1 && SUFFIXES.has(bare(kept[kept.length - 1]!))) {
    kept.pop();
    problems.push({ field: 'name', code: 'name_suffix_removed' });
  }
  return kept;
}

/** Where the family name starts in "First Middle Last": the last word, with its particles ("van der Berg"). */
function familyStartIndex(all: readonly string[]): number {
  let start = all.length - 1;
  while (start > 1 && PARTICLES.has(bare(all[start - 1]!))) start--;
  return Math.max(start, 0);
}

/** "JEAN-LUC" → "Jean-Luc", "o'brien" → "O'Brien", "mcdonald" → "McDonald", "VAN" → "van". Mixed case as given is kept. */
export function displayCase(word: string): string {
  const hasLower = /\p{Ll}/u.test(word);
  const hasUpper = /\p{Lu}/u.test(word);
  if (hasLower && hasUpper) return word; // the source cared about case: "DeVries", "McDonald"
  const lower = word.toLowerCase();
  if (PARTICLES.has(lower)) return lower;
  return lower
    .replace(/(^|[-'’])(\p{L})/gu, (_m, sep: string, letter: string) => sep + letter.toUpperCase())
    .replace(/^(Mc)(\p{L})/u, (_m, prefix: string, letter: string) => prefix + letter.toUpperCase());
}
