/**
 * The ways a duplicate differs from its original, as in Febrl's generator: typing errors
 * (insert, delete, substitute, transpose), swapped fields, missing values and formatting noise
 * (case, spaces, phone and date formats, street-type abbreviations). Each takes the random source,
 * so a seed reproduces a file.
 */
import { STREET_TYPES } from './data';
import type { Random } from './random';

/** Keys next to each other on a QWERTY keyboard: substitutions favour them, as typists do. */
const NEIGHBOURS: Readonly<Record<string, string>> = {
  a: 'qwsz', b: 'vghn', c: 'xdfv', d: 'serfcx', e: 'wsdr', f: 'drtgvc', g: 'ftyhbv', h: 'gyujnb', i: 'ujko', j: 'huikmn', k: 'jiolm', l: 'kop',
  m: 'njk', n: 'bhjm', o: 'iklp', p: 'ol', q: 'wa', r: 'edft', s: 'awedxz', t: 'rfgy', u: 'yhji', v: 'cfgb', w: 'qase', x: 'zsdc', y: 'tghu', z: 'asx',
  '0': '9', '1': '2', '2': '13', '3': '24', '4': '35', '5': '46', '6': '57', '7': '68', '8': '79', '9': '80',
};

const letterLike = (c: string) => (/\d/.test(c) ? '0123456789' : 'abcdefghijklmnopqrstuvwxyz');

function substituteFor(random: Random, c: string): string {
  const near = NEIGHBOURS[c.toLowerCase()];
  const pool = near && random.chance(0.8) ? near : letterLike(c);
  let out = random.pick([...pool]);
  if (out === c.toLowerCase()) out = pool.length > 1 ? pool[(pool.indexOf(out) + 1) % pool.length]! : out;
  return c === c.toUpperCase() && c !== c.toLowerCase() ? out.toUpperCase() : out;
}

/** One character typed twice or a neighbour slipped in. */
export function insertChar(random: Random, s: string): string {
  if (s === '') return s;
  const i = random.int(0, s.length - 1);
  const c = s[i]!;
  const extra = random.chance(0.5) ? c : substituteFor(random, c);
  return s.slice(0, i + 1) + extra + s.slice(i + 1);
}

/** One character left out (never the whole value). */
export function deleteChar(random: Random, s: string): string {
  if (s.length < 2) return s;
  const i = random.int(0, s.length - 1);
  return s.slice(0, i) + s.slice(i + 1);
}

/** One character replaced, usually by a keyboard neighbour. */
export function substituteChar(random: Random, s: string): string {
  const positions = [...s].map((c, i) => (/[a-z0-9]/i.test(c) ? i : -1)).filter((i) => i >= 0);
  if (positions.length === 0) return s;
  const i = random.pick(positions);
  return s.slice(0, i) + substituteFor(random, s[i]!) + s.slice(i + 1);
}

/** Two different neighbouring characters swapped. */
export function transposeChars(random: Random, s: string): string {
  const positions: number[] = [];
  for (let i = 0; i + 1 < s.length; i++) if (s[i] !== s[i + 1]) positions.push(i);
  if (positions.length === 0) return s;
  const i = random.pick(positions);
  return s.slice(0, i) + s[i + 1]! + s[i]! + s.slice(i + 2);
}

export const TYPO_KINDS = ['insert', 'delete', 'substitute', 'transpose'] as const;
export type TypoKind = (typeof TYPO_KINDS)[number];

/** One typing error of a random kind (or of `kind`). */
export function typo(random: Random, s: string, kind: TypoKind = random.pick(TYPO_KINDS)): string {
  switch (kind) {
    case 'insert':
      return insertChar(random, s);
    case 'delete':
      return deleteChar(random, s);
    case 'substitute':
      return substituteChar(random, s);
    case 'transpose':
      return transposeChars(random, s);
  }
}

/** UPPER, lower, Title or as is. */
export function caseNoise(random: Random, s: string): string {
  switch (random.int(0, 3)) {
    case 0:
      return s.toUpperCase();
    case 1:
      return s.toLowerCase();
    case 2:
      return s.replace(/(^|[\s'-])([a-z])/g, (_m, sep: string, c: string) => sep + c.toUpperCase());
    default:
      return s;
  }
}

/** Leading, trailing or doubled inner spaces. */
export function spaceNoise(random: Random, s: string): string {
  switch (random.int(0, 2)) {
    case 0:
      return ` ${s}`;
    case 1:
      return `${s}  `;
    default:
      return s.includes(' ') ? s.replace(' ', '  ') : ` ${s} `;
  }
}

/** A street line with its type abbreviated ("pridham street" → "pridham st"), or as is. */
export function abbreviateStreet(random: Random, line: string): string {
  for (const [full, short] of STREET_TYPES) {
    const re = new RegExp(`\\b${full}\\b`);
    if (re.test(line)) return line.replace(re, random.pick(short));
  }
  return line;
}

/**
 * An Australian phone ("0412345678", "0298765432") written another way: spaced, dashed,
 * bracketed area code, +61 international, or 61 without the plus.
 */
export function phoneFormat(random: Random, national: string): string {
  const d = national.replace(/\D/g, '');
  const rest = d.slice(1);
  const mobile = d.startsWith('04');
  switch (random.int(0, 5)) {
    case 0:
      return mobile ? `${d.slice(0, 4)} ${d.slice(4, 7)} ${d.slice(7)}` : `(${d.slice(0, 2)}) ${d.slice(2, 6)} ${d.slice(6)}`;
    case 1:
      return `${d.slice(0, 4)}-${d.slice(4, 7)}-${d.slice(7)}`;
    case 2:
      return `+61 ${rest.slice(0, 3)} ${rest.slice(3, 6)} ${rest.slice(6)}`;
    case 3:
      return `+61${rest}`;
    case 4:
      return `61${rest}`;
    default:
      return d;
  }
}

/** A YYYYMMDD date written another way: ISO, d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy, or as is. */
export function dateFormat(random: Random, yyyymmdd: string): string {
  const y = yyyymmdd.slice(0, 4);
  const m = yyyymmdd.slice(4, 6);
  const d = yyyymmdd.slice(6, 8);
  switch (random.int(0, 4)) {
    case 0:
      return `${y}-${m}-${d}`;
    case 1:
      return `${Number(d)}/${Number(m)}/${y}`;
    case 2:
      return `${d}-${m}-${y}`;
    case 3:
      return `${d}.${m}.${y}`;
    default:
      return yyyymmdd;
  }
}
