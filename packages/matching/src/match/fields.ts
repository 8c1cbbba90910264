/**
 * The fields a person match compares, each with its comparator and its agreement levels. The
 * model (model.ts) gives every level of every field its m and u probabilities.
 */
import {
  BIRTH_DATE_LEVELS,
  EXACT_LEVELS,
  SIMILARITY_LEVELS,
  TYPO_LEVELS,
  compareBirthDates,
  compareExact,
  compareSimilar,
  compareWithTypo,
} from './comparators';
import type { MatchRecord } from './record';

export const FIELD_NAMES = [
  'given_name',
  'family_name',
  'birth_date',
  'national_id',
  'email',
  'phone',
  'street_number',
  'street',
  'address_line_2',
  'locality',
  'postcode',
  'region',
] as const;

export type FieldName = (typeof FIELD_NAMES)[number];

export interface FieldSpec {
  readonly name: FieldName;
  /** Level labels, best agreement first, disagreement last. */
  readonly levels: readonly string[];
  /** The level two records reach on this field, or MISSING. */
  readonly compare: (a: MatchRecord, b: MatchRecord) => number;
  /** Exact agreement identifies a person on its own (the `exact` tier), given the rest does not contradict it. */
  readonly strongIdentifier: boolean;
  /**
   * The record's value for term-frequency adjustment (score.ts), on fields whose values are
   * unevenly common — a name, a street, a suburb, a postcode: "smith" agreeing is weaker evidence
   * than "sondergeld". Null on the other fields.
   */
  readonly termValue: ((record: MatchRecord) => string | null) | null;
}

const field = (name: FieldName, levels: readonly string[], compare: FieldSpec['compare'], options: { strongIdentifier?: boolean; termValue?: FieldSpec['termValue'] } = {}): FieldSpec => ({
  name,
  levels,
  compare,
  strongIdentifier: options.strongIdentifier ?? false,
  termValue: options.termValue ?? null,
});

/** Every field, in FIELD_NAMES order (an index into a comparison vector). */
export const FIELDS: readonly FieldSpec[] = [
  field('given_name', SIMILARITY_LEVELS, (a, b) => compareSimilar(a.given, b.given), { termValue: (r) => r.given }),
  field('family_name', SIMILARITY_LEVELS, (a, b) => compareSimilar(a.family, b.family), { termValue: (r) => r.family }),
  field('birth_date', BIRTH_DATE_LEVELS, (a, b) => compareBirthDates(a.birthDigits, b.birthDigits)),
  field('national_id', TYPO_LEVELS, (a, b) => compareWithTypo(a.nationalId, b.nationalId), { strongIdentifier: true }),
  field('email', EXACT_LEVELS, (a, b) => compareExact(a.email, b.email), { strongIdentifier: true }),
  field('phone', EXACT_LEVELS, (a, b) => compareExact(a.phone, b.phone), { strongIdentifier: true }),
  field('street_number', EXACT_LEVELS, (a, b) => compareExact(a.streetNumber, b.streetNumber)),
  field('street', SIMILARITY_LEVELS, (a, b) => compareSimilar(a.street, b.street), { termValue: (r) => r.street }),
  field('address_line_2', SIMILARITY_LEVELS, (a, b) => compareSimilar(a.addressLine2, b.addressLine2), { termValue: (r) => r.addressLine2 }),
  field('locality', SIMILARITY_LEVELS, (a, b) => compareSimilar(a.locality, b.locality), { termValue: (r) => r.locality }),
  field('postcode', TYPO_LEVELS, (a, b) => compareWithTypo(a.postcode, b.postcode), { termValue: (r) => r.postcode }),
  field('region', EXACT_LEVELS, (a, b) => compareExact(a.region, b.region)),
];

export const GIVEN = FIELD_NAMES.indexOf('given_name');
export const FAMILY = FIELD_NAMES.indexOf('family_name');
/** Fields that belong to one person, not to a household or a place. */
export const PERSONAL = (['birth_date', 'national_id', 'email', 'phone'] as const).map((name) => FIELD_NAMES.indexOf(name));
