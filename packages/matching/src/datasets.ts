/**
 * The ground-truth data sets (test/data, copied from the shared data folder with their licences)
 * as PersonInput records with their true entity ids: `@stratum/matching/datasets`, for the
 * library's quality test and scripts and for identity-resolution's test of the same data sets
 * through the import stage's resolver. Not part of the library's runtime API.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { PersonInput, SourceSettings } from './hygiene/person';
import type { LinkResult } from './match/link';
import type { MatchRecord } from './match/record';

export interface Dataset {
  readonly name: string;
  readonly records: PersonInput[];
  /** True entity id per record, same order. */
  readonly entities: string[];
  readonly source: SourceSettings;
}

// Jest runs this as CommonJS (__dirname); the scripts run it as ESM under tsx, from the package folder.
const DATA = typeof __dirname === 'string' ? join(__dirname, '..', 'test', 'data') : join(process.cwd(), 'test', 'data');

/** Splits one CSV line (RLdata quotes its fields, the generator cells with edge spaces; none has embedded commas). */
function csvFields(line: string): string[] {
  return line.split(',').map((f) => f.trim().replace(/^"(.*)"$/, '$1'));
}

/** Rows as column → text ('' for an empty or absent field); a relative path is under test/data. */
function readCsv(path: string): ((column: string) => string)[] {
  const [header, ...lines] = readFileSync(isAbsolute(path) ? path : join(DATA, path), 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
  const names = csvFields(header!);
  return lines.map((line) => {
    const fields = csvFields(line);
    return (column: string) => fields[names.indexOf(column)] ?? '';
  });
}

/** A row in FEBRL's columns (which `stratum import generate` also writes) as a person. */
function febrlPerson(r: (column: string) => string): PersonInput {
  return {
    id: r('rec_id'),
    givenName: r('given_name'),
    familyName: r('surname'),
    streetNumber: r('street_number'),
    addressLine1: r('address_1'),
    addressLine2: r('address_2'),
    locality: r('suburb'),
    postcode: r('postcode'),
    region: r('state'),
    birthDate: r('date_of_birth'),
    nationalId: r('soc_sec_id'),
  };
}

/** Review-action pairs of a batch result that are the same person / different people. */
export function reviewSplit(result: LinkResult, records: readonly MatchRecord[], dataset: Dataset): { same: number; different: number } {
  const index = new Map(records.map((r, i) => [r.id, i]));
  let same = 0;
  let different = 0;
  for (const d of result.decisions) {
    if (d.action !== 'review') continue;
    if (dataset.entities[index.get(d.a)!] === dataset.entities[index.get(d.b)!]) same++;
    else different++;
  }
  return { same, different };
}

/** FEBRL dataset 1, 2 or 3: Australian records; the entity is N in rec-N-org / rec-N-dup-k. */
export function febrl(which: 1 | 2 | 3): Dataset {
  const rows = readCsv(`febrl/dataset${which}.csv`);
  return {
    name: `FEBRL ${which}`,
    records: rows.map((r) => febrlPerson(r)),
    entities: rows.map((r) => /^rec-(\d+)-/.exec(r('rec_id'))![1]!),
    source: { country: 'AU' },
  };
}

/** RLdata500: German names and birth dates; fname_c2 is a second given name, lname_c2 a second family name. */
export function rldata500(): Dataset {
  const rows = readCsv('rldata/RLdata500.csv');
  return {
    name: 'RLdata500',
    records: rows.map((r) => ({
      id: r('rec_id'),
      givenName: r('fname_c1'),
      middleName: r('fname_c2'),
      familyName: [r('lname_c1'), r('lname_c2')].filter((p) => p !== '').join(' '),
      birthYear: r('by'),
      birthMonth: r('bm'),
      birthDay: r('bd'),
    })),
    entities: rows.map((r) => r('ent_id')),
    source: { country: 'DE' },
  };
}

/**
 * A file of `pnpm stratum import generate` (test/data/generated, or any path given): FEBRL-like
 * Australian records with email and phone, formatting noise, and `entity_id` as the truth.
 */
export function generatedPersons(path = 'generated/persons-5000-seed1.csv'): Dataset {
  const rows = readCsv(path);
  return {
    name: 'generated',
    records: rows.map((r) => ({ ...febrlPerson(r), email: r('email'), phone: r('phone') })),
    entities: rows.map((r) => r('entity_id')),
    source: { country: 'AU', dateOrder: 'dmy' },
  };
}

/** All four, in the order the README reports them. */
export function allDatasets(): Dataset[] {
  return [febrl(1), febrl(2), febrl(3), rldata500()];
}
