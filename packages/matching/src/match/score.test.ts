import { PERSON_MATCH_MODEL } from './model';
import { compareRecords, decide, scorerOf } from './score';
import { person } from './test-records';

const scorer = scorerOf(PERSON_MATCH_MODEL);
const kayla = {
  givenName: 'kayla',
  familyName: 'harrington',
  streetNumber: '12',
  addressLine1: 'maltby circuit',
  locality: 'coolaroo',
  postcode: '3465',
  region: 'nsw',
  birthDate: '19150612',
  nationalId: '9004242',
};

it('merges a typo-ridden duplicate as strong, with the evidence for the audit', () => {
  const decision = decide(person({ ...kayla, id: 'a' }), person({ ...kayla, id: 'b', familyName: 'harringotn', nationalId: '9004224', birthDate: '19150621' }), scorer);
  expect(decision).toMatchObject({ a: 'a', b: 'b', tier: 'strong', action: 'merge', rule: 'fuzzy:fellegi_sunter', namesSwapped: false });
  expect(decision.score).toBeGreaterThanOrEqual(PERSON_MATCH_MODEL.thresholds.autoMerge);
  expect(decision.agreed).toEqual(['given_name', 'family_name', 'birth_date', 'national_id', 'street_number', 'street', 'locality', 'postcode', 'region']);
  expect(decision.evidence.find((e) => e.field === 'family_name')).toMatchObject({ level: 'close' });
  expect(decision.evidence.find((e) => e.field === 'national_id')).toMatchObject({ level: 'one_edit' });
  expect(decision.evidence.reduce((sum, e) => sum + e.weight, 0)).toBeCloseTo(decision.score);
});

it('is exact when a strong identifier agrees exactly', () => {
  const decision = decide(person(kayla), person({ ...kayla, familyName: 'smith' }), scorer);
  expect(decision.tier).toBe('exact');
  expect(decision.action).toBe('merge');
});

it('never merges on a name alone: it goes to review', () => {
  const decision = decide(person({ givenName: 'kayla', familyName: 'harrington' }), person({ givenName: 'kayla', familyName: 'harrington' }), scorer);
  expect(decision.score).toBeGreaterThanOrEqual(PERSON_MATCH_MODEL.thresholds.autoMerge);
  expect(decision).toMatchObject({ tier: 'fuzzy', action: 'review', agreed: ['given_name', 'family_name'] });
});

it('never merges on a place alone: two people at one address go to review at most', () => {
  const home = { streetNumber: '12', addressLine1: 'pridham street', locality: 'kambah', postcode: '2604', region: 'act' };
  const decision = decide(person({ ...home, givenName: 'bob', familyName: 'jones', birthDate: '19750301' }), person({ ...home, givenName: 'zelda', familyName: 'quist', birthDate: '19310817' }), scorer);
  expect(decision.action).not.toBe('merge');
});

it('does not link people who share only a birth date', () => {
  const decision = decide(person(kayla), person({ givenName: 'lachlan', familyName: 'berry', birthDate: '19150612', postcode: '4814', nationalId: '7364009' }), scorer);
  expect(decision).toMatchObject({ tier: null, action: 'none' });
  expect(decision.disagreed).toEqual(expect.arrayContaining(['given_name', 'family_name', 'national_id', 'postcode']));
});

it('matches given and family names written in each other’s columns', () => {
  const swapped = compareRecords(person(kayla), person({ ...kayla, givenName: 'harrington', familyName: 'kayla' }), scorer);
  expect(swapped.namesSwapped).toBe(true);
  expect(swapped.score).toBeCloseTo(compareRecords(person(kayla), person(kayla), scorer).score);
});

it('a missing value neither adds nor takes weight', () => {
  const full = person(kayla);
  const withoutBirthDate = person({ ...kayla, birthDate: '' });
  const other = person({ ...kayla, givenName: 'kaylee' });
  const birthWeight = decide(full, other, scorer).evidence.find((e) => e.field === 'birth_date')!.weight;
  expect(decide(withoutBirthDate, other, scorer).evidence.map((e) => e.field)).not.toContain('birth_date');
  expect(compareRecords(withoutBirthDate, other, scorer).score).toBeCloseTo(compareRecords(full, other, scorer).score - birthWeight);
});

describe('term-frequency adjustment', () => {
  const home = { locality: 'sydney', postcode: '2000', region: 'nsw' };
  const a = person({ ...home, givenName: 'ann', familyName: 'lee', birthDate: '19800101' });
  const b = person({ ...home, givenName: 'zoe', familyName: 'quist', birthDate: '19611231' });
  const weightOf = (decision: ReturnType<typeof decide>, field: string): number => decision.evidence.find((e) => e.field === field)!.weight;

  it('without a frequency source, scores as the model says', () => {
    expect(compareRecords(a, b, scorerOf(PERSON_MATCH_MODEL, {})).score).toBe(compareRecords(a, b, scorer).score);
    expect(scorerOf(PERSON_MATCH_MODEL).frequencies).toBeUndefined();
  });

  it('an agreement on a value commoner than the model’s u weighs less, by log2(frequency / u)', () => {
    const frequencies = (field: string, value: string): number | undefined => (field === 'locality' && value === 'sydney' ? 0.05 : field === 'postcode' ? 0 : undefined);
    const adjusted = decide(a, b, scorerOf(PERSON_MATCH_MODEL, { frequencies }));
    const plain = decide(a, b, scorer);
    expect(weightOf(adjusted, 'locality')).toBeCloseTo(weightOf(plain, 'locality') - Math.log2(0.05 / PERSON_MATCH_MODEL.fields.locality.u[0]!));
    expect(weightOf(adjusted, 'postcode')).toBe(weightOf(plain, 'postcode')); // rarer than the model's u: left alone, never lifted
    expect(weightOf(adjusted, 'region')).toBe(weightOf(plain, 'region')); // not a term-frequency field
    expect(adjusted.evidence.reduce((sum, e) => sum + e.weight, 0)).toBeCloseTo(adjusted.score);
  });

  it('an inexact agreement is scaled like the commoner value, so it never outweighs the exact one', () => {
    const frequencies = (field: string, value: string): number | undefined => (field === 'locality' ? (value === 'sydney' ? 0.05 : 0.0001) : undefined);
    const tf = scorerOf(PERSON_MATCH_MODEL, { frequencies });
    const exact = weightOf(decide(a, b, tf), 'locality');
    const close = weightOf(decide(a, person({ ...home, locality: 'sydny' }), tf), 'locality');
    expect(close).toBeLessThanOrEqual(exact);
    expect(close).toBeGreaterThanOrEqual(0);
  });

  it('never makes an agreement count against, nor touches a disagreement', () => {
    const tf = scorerOf(PERSON_MATCH_MODEL, { frequencies: () => 1 });
    const decision = decide(a, b, tf);
    expect(weightOf(decision, 'locality')).toBe(0);
    expect(weightOf(decision, 'given_name')).toBe(weightOf(decide(a, b, scorer), 'given_name'));
  });

  it('looks a crossed-over name up in both name columns', () => {
    const common = (field: string, value: string): number | undefined => (field === 'family_name' && value === 'kayla' ? 0.2 : undefined);
    const swapped = person({ ...kayla, givenName: 'harrington', familyName: 'kayla' });
    const plain = compareRecords(person(kayla), swapped, scorer);
    const adjusted = compareRecords(person(kayla), swapped, scorerOf(PERSON_MATCH_MODEL, { frequencies: common }));
    expect(adjusted.namesSwapped).toBe(true);
    expect(adjusted.score).toBeLessThan(plain.score);
  });
});
