/**
 * Addresses in one comparable form: lower case without diacritics, single spaces, street types and
 * unit designators spelled out ("12 Smith St" and "12 smith street" are one street), the unit
 * ("5/12 Smith St", "Flat 5, 12 Smith Street") taken apart from the number, and postcodes in their
 * country's format.
 */
import { foldForComparison, presentText } from './fold';
import type { Cleaned, Problem } from './problems';

// Street types, as Australia Post and USPS abbreviate them. Only whole words are expanded.
const STREET_TYPES: Readonly<Record<string, string>> = {
  st: 'street', str: 'street', rd: 'road', ave: 'avenue', av: 'avenue', dr: 'drive', drv: 'drive', ct: 'court', crt: 'court',
  pl: 'place', cres: 'crescent', cr: 'crescent', cct: 'circuit', cir: 'circle', hwy: 'highway', pde: 'parade', tce: 'terrace',
  ter: 'terrace', ln: 'lane', blvd: 'boulevard', bvd: 'boulevard', cl: 'close', gr: 'grove', gve: 'grove', sq: 'square',
  esp: 'esplanade', espl: 'esplanade', pkwy: 'parkway', wy: 'way', mt: 'mount', cnr: 'corner', sth: 'south', nth: 'north',
};
const UNIT_WORDS = new Set(['unit', 'u', 'flat', 'f', 'apt', 'apartment', 'suite', 'ste', 'shop', 'villa', 'lot', 'lvl', 'level']);

/** An address line folded for comparison, with street types spelled out. "St" first is "saint" (St Kilda Rd). */
export function normaliseAddressLine(raw: string | null | undefined): string | null {
  const text = presentText(raw);
  if (text === null) return null;
  const words = foldForComparison(text).split(' ').filter((w) => w !== '');
  const expanded = words.map((word, i) => {
    if (i === 0 && (word === 'st' || word === 'mt')) return word === 'st' ? 'saint' : 'mount';
    return STREET_TYPES[word] ?? word;
  });
  return expanded.length === 0 ? null : expanded.join(' ');
}

/** A street address taken apart: the unit (flat, apartment), the street number and the street. */
export interface StreetAddress {
  readonly unit: string | null;
  readonly number: string | null;
  readonly street: string | null;
}

/**
 * Splits "Unit 5, 12 Smith St", "5/12 Smith Street", "12A Smith St" into unit, number and street.
 * A separate street-number column (`number`) wins over a number found in the line.
 */
export function parseStreetAddress(line: string | null | undefined, number?: string | null): StreetAddress {
  const text = presentText(line) ?? '';
  let unit: string | null = null;
  let found: string | null = null;
  // "5/12 Smith St" (read before folding, which turns the slash into a space).
  const slash = /^\s*(\w+)\s*\/\s*(\d+[a-z]?)\s+/i.exec(text);
  let rest = foldForComparison(slash ? text.slice(slash[0].length) : text);
  if (slash) {
    unit = slash[1]!.toLowerCase();
    found = slash[2]!.toLowerCase();
  }
  // "Unit 5, 12 Smith St", "Flat 3B 7 High St".
  const designated = /^(\S+) (\d+[a-z]?) /.exec(rest);
  if (unit === null && designated && UNIT_WORDS.has(designated[1]!)) {
    unit = designated[2]!;
    rest = rest.slice(designated[0].length);
  }
  const leadingNumber = found === null ? /^(\d+[a-z]?) /.exec(rest) : null;
  if (leadingNumber) {
    found = leadingNumber[1]!;
    rest = rest.slice(leadingNumber[0].length);
  }
  const separate = presentText(number);
  const streetNumber = separate === null ? found : foldForComparison(separate).replace(/\s/g, '');
  return { unit, number: streetNumber === '' ? null : streetNumber, street: normaliseAddressLine(rest) };
}

/** Postcode formats of the countries we know; others are kept upper-cased with single spaces. */
const POSTCODE_RULES: Readonly<Record<string, (compact: string) => string | null>> = {
  // Australia: four digits; NT codes lose their leading zero in spreadsheets ("800" is 0800).
  AU: (c) => (/^\d{4}$/.test(c) ? c : /^\d{3}$/.test(c) ? `0${c}` : null),
  NZ: (c) => (/^\d{4}$/.test(c) ? c : null),
  DE: (c) => (/^\d{5}$/.test(c) ? c : null),
  FR: (c) => (/^\d{5}$/.test(c) ? c : null),
  US: (c) => (/^\d{5}$/.test(c) ? c : /^\d{9}$/.test(c) ? `${c.slice(0, 5)}-${c.slice(5)}` : null),
  GB: (c) => (/^[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}$/.test(c) ? `${c.slice(0, -3)} ${c.slice(-3)}` : null),
  CA: (c) => (/^[A-Z]\d[A-Z]\d[A-Z]\d$/.test(c) ? `${c.slice(0, 3)} ${c.slice(3)}` : null),
};

/** A postcode in its country's format (ISO 3166-1 alpha-2), or null with `postcode_invalid_format`. */
export function normalisePostcode(raw: string | null | undefined, country: string | null): Cleaned<string> {
  const text = presentText(raw);
  if (text === null) return { value: null, problems: [] };
  const rule = country === null ? undefined : POSTCODE_RULES[country.toUpperCase()];
  const upper = text.toUpperCase().replace(/\s+/g, ' ');
  if (rule === undefined) return /^[A-Z\d][A-Z\d -]*$/.test(upper) ? { value: upper, problems: [] } : invalidPostcode(text);
  const value = rule(upper.replace(/[\s-]/g, ''));
  return value === null ? invalidPostcode(text) : { value, problems: [] };
}

function invalidPostcode(text: string): Cleaned<string> {
  const problem: Problem = { field: 'postcode', code: 'postcode_invalid_format', input: text };
  return { value: null, problems: [problem] };
}
