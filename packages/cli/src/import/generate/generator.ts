/**
 * Synthetic person files with known duplicates (Febrl-like): originals, then duplicates of some
 * of them with typing errors, swapped names, missing values and formatting noise; the column
 * `entity_id` is the ground truth (rows of one person share it). Streaming: rows pass through a
 * bounded shuffle buffer, so memory stays flat whatever the size; the same seed gives the same file.
 */
import { AREA_CODES, BUILDINGS, EMAIL_DOMAINS, GIVEN_NAMES, LOCALITIES, STREET_NAMES, STREET_TYPES, SURNAME_ENDINGS, SURNAME_SYLLABLES, SURNAMES } from './data';
import { abbreviateStreet, caseNoise, dateFormat, phoneFormat, spaceNoise, typo } from './noise';
import { Random } from './random';

export const COLUMNS = ['rec_id', 'given_name', 'surname', 'street_number', 'address_1', 'address_2', 'suburb', 'postcode', 'state', 'date_of_birth', 'soc_sec_id', 'email', 'phone', 'entity_id'] as const;
export type Column = (typeof COLUMNS)[number];
export type PersonRow = Record<Column, string>;

export interface GenerateOptions {
  /** Rows in all (originals and duplicates). */
  readonly rows: number;
  /** Share of rows that are duplicates (approximately), 0 ≤ rate < 1. */
  readonly dupRate: number;
  /** Most duplicates of one original. */
  readonly maxDups: number;
  readonly seed: number;
  /** Modifications per duplicate: at most this many (at least 1). */
  readonly maxModifications?: number;
  /** Rows held back for shuffling (default 10,000): duplicates land up to this far from their original. */
  readonly shuffleWindow?: number;
}

function surname(random: Random): string {
  if (random.chance(0.75)) return random.pick(SURNAMES);
  const parts = random.int(1, 2);
  let s = '';
  for (let i = 0; i < parts; i++) s += random.pick(SURNAME_SYLLABLES);
  return s + random.pick(SURNAME_ENDINGS);
}

function dateOfBirth(random: Random): string {
  const y = random.int(1930, 2006);
  const m = random.int(1, 12);
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const d = random.int(1, days);
  return `${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}`;
}

/** A landline in a range that exists (02/03/08 numbers start 8 or 9, 07 numbers 3). */
function landline(random: Random, area: string): string {
  return `0${area}${area === '7' ? '3' : random.pick(['8', '9'])}${random.digits(7)}`;
}

/**
 * An original record of entity `n`. `takenEmails`: addresses earlier entities hold — a mailbox is
 * one person's, so a namesake who drew the same address gets the entity number in it instead
 * (without a random draw, so the rest of a seed's file is unchanged). Without it, 1M rows gave
 * thousands of different people one e-mail, which the matcher rightly merges on the exact tier.
 */
export function originalPerson(random: Random, n: number, takenEmails?: Set<string>): PersonRow {
  const given = random.pick(GIVEN_NAMES);
  const family = surname(random);
  const [suburb, postcode, state] = random.pick(LOCALITIES);
  const [streetType] = random.pick(STREET_TYPES);
  const phone = random.chance(0.6)
    ? random.chance(0.7)
      ? `04${random.digits(8)}`
      : landline(random, AREA_CODES[state] ?? '2')
    : '';
  let email = '';
  if (random.chance(0.45)) {
    const local = `${given}${random.pick(['.', '_', ''])}${family}`;
    const suffix = random.chance(0.3) ? random.int(1, 99) : '';
    const domain = random.pick(EMAIL_DOMAINS);
    email = `${local}${suffix}@${domain}`;
    for (let k = 0; takenEmails?.has(email); k++) email = `${local}${n}${k === 0 ? '' : `.${k}`}@${domain}`;
    takenEmails?.add(email);
  }
  return {
    rec_id: `rec-${n}-org`,
    given_name: given,
    surname: family,
    street_number: random.chance(0.95) ? String(random.int(1, 350)) : '',
    address_1: `${random.pick(STREET_NAMES)} ${streetType}`,
    address_2: random.chance(0.2) ? (random.chance(0.5) ? `unit ${random.int(1, 40)}` : random.pick(BUILDINGS)) : '',
    suburb,
    postcode,
    state,
    date_of_birth: random.chance(0.97) ? dateOfBirth(random) : '',
    soc_sec_id: random.chance(0.95) ? String(random.int(1_000_000, 9_999_999)) : '',
    email,
    phone,
    entity_id: `ent-${n}`,
  };
}

const TYPO_FIELDS: readonly Column[] = ['given_name', 'surname', 'address_1', 'suburb', 'given_name', 'surname', 'date_of_birth', 'soc_sec_id', 'postcode', 'street_number', 'email'];
const MISSABLE: readonly Column[] = ['given_name', 'surname', 'street_number', 'address_1', 'address_2', 'suburb', 'postcode', 'state', 'date_of_birth', 'soc_sec_id', 'email', 'phone'];
export const MODIFICATIONS = ['typo', 'swap_names', 'missing', 'case', 'spaces', 'phone_format', 'date_format', 'street_abbreviation'] as const;
export type Modification = (typeof MODIFICATIONS)[number];

/** Applies one modification to `row` (in place); returns false when it had nothing to work on. */
export function modify(random: Random, row: PersonRow, kind: Modification): boolean {
  switch (kind) {
    case 'typo': {
      const field = random.pick(TYPO_FIELDS);
      if (row[field] === '') return false;
      row[field] = typo(random, row[field]);
      return true;
    }
    case 'swap_names':
      if (row.given_name === '' || row.surname === '') return false;
      [row.given_name, row.surname] = [row.surname, row.given_name];
      return true;
    case 'missing': {
      const field = random.pick(MISSABLE);
      if (row[field] === '') return false;
      row[field] = '';
      return true;
    }
    case 'case': {
      const field = random.pick<Column>(['given_name', 'surname', 'suburb', 'address_1', 'state']);
      row[field] = caseNoise(random, row[field]);
      return row[field] !== '';
    }
    case 'spaces': {
      const field = random.pick<Column>(['given_name', 'surname', 'suburb', 'address_1']);
      if (row[field] === '') return false;
      row[field] = spaceNoise(random, row[field]);
      return true;
    }
    case 'phone_format':
      if (row.phone === '') return false;
      row.phone = phoneFormat(random, row.phone);
      return true;
    case 'date_format':
      if (!/^\d{8}$/.test(row.date_of_birth)) return false;
      row.date_of_birth = dateFormat(random, row.date_of_birth);
      return true;
    case 'street_abbreviation':
      row.address_1 = abbreviateStreet(random, row.address_1);
      return true;
  }
}

/** Duplicate number `k` of `original`: 1..maxModifications modifications, typos twice as likely as the rest. */
export function duplicateOf(random: Random, original: PersonRow, k: number, maxModifications = 3): PersonRow {
  const row: PersonRow = { ...original, rec_id: original.rec_id.replace(/-org$/, `-dup-${k}`) };
  const wanted = random.int(1, maxModifications);
  const weighted: Modification[] = ['typo', 'typo', ...MODIFICATIONS];
  let done = 0;
  for (let tries = 0; done < wanted && tries < wanted * 4; tries++) if (modify(random, row, random.pick(weighted))) done += 1;
  return row;
}

/** The rows of a file, in output order. */
export function* generatePersons(options: GenerateOptions): Generator<PersonRow> {
  const random = new Random(options.seed);
  const window = options.shuffleWindow ?? 10_000;
  const buffer: PersonRow[] = [];
  // Expected duplicates per original for the asked share, spread over 1..maxDups.
  const perOriginal = options.dupRate >= 1 ? Infinity : options.dupRate / (1 - options.dupRate);
  const meanDups = (1 + options.maxDups) / 2;
  const withDups = Math.min(1, perOriginal / meanDups);
  let made = 0;
  let entity = 0;
  const emitOne = (): PersonRow => {
    const i = random.int(0, buffer.length - 1);
    const row = buffer[i]!;
    buffer[i] = buffer[buffer.length - 1]!;
    buffer.pop();
    return row;
  };
  const takenEmails = new Set<string>();
  while (made < options.rows) {
    const original = originalPerson(random, entity, takenEmails);
    entity += 1;
    buffer.push(original);
    made += 1;
    if (options.maxDups > 0 && random.chance(withDups)) {
      const dups = Math.min(random.int(1, options.maxDups), options.rows - made);
      for (let k = 0; k < dups; k++) buffer.push(duplicateOf(random, original, k, options.maxModifications));
      made += dups;
    }
    while (buffer.length > window) yield emitOne();
  }
  while (buffer.length > 0) yield emitOne();
}

const csvCell = (s: string): string => (/[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replaceAll('"', '""')}"` : s);

/** The header line and one line per row. */
export function* csvLines(rows: Iterable<PersonRow>): Generator<string> {
  yield `${COLUMNS.join(',')}\n`;
  for (const row of rows) yield `${COLUMNS.map((c) => csvCell(row[c])).join(',')}\n`;
}
