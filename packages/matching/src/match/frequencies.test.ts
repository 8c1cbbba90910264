import { TERM_FREQUENCY_FIELDS, ValueCounts, combinedFrequencies, valueFrequencies, wilsonLowerBound } from './frequencies';
import { person } from './test-records';

const sydney = { locality: 'sydney', postcode: '2000', addressLine1: 'george street' };

it('counts each place value incrementally, and forgets a removed record', () => {
  const counts = new ValueCounts();
  const a = person({ ...sydney, givenName: 'ann' });
  counts.add(a);
  counts.add(person({ ...sydney, givenName: 'bob', postcode: '2001' }));
  expect(counts.records).toBe(2);
  expect(counts.count('locality', 'sydney')).toBe(2);
  expect(counts.count('postcode', '2000')).toBe(1);
  expect(counts.count('street', 'georgestreet')).toBe(2); // the comparison form: spaces dropped
  counts.remove(a);
  expect(counts.records).toBe(1);
  expect(counts.count('locality', 'sydney')).toBe(1);
  expect(counts.count('postcode', '2000')).toBe(0);
});

it('says nothing about fields it does not count (names by default), nor before any record', () => {
  expect(TERM_FREQUENCY_FIELDS).not.toContain('family_name');
  const counts = new ValueCounts();
  expect(counts.frequency('locality', 'sydney')).toBeUndefined();
  counts.add(person({ ...sydney, familyName: 'smith' }));
  expect(counts.frequency('family_name', 'smith')).toBeUndefined();
  expect(counts.frequency('locality', 'sydney')).toBeGreaterThan(0);
  const withNames = new ValueCounts(['family_name']);
  withNames.add(person({ familyName: 'smith' }));
  expect(withNames.count('family_name', 'smith')).toBe(1);
  expect(() => new ValueCounts(['birth_date'])).toThrow(/no term-frequency value/);
});

it('claims a frequency only as far as the counts support it: the lower Wilson bound', () => {
  // 2 of 100: plain share 0.02, but two sightings say little.
  expect(wilsonLowerBound(2, 100)).toBeLessThan(0.01);
  // 400 of 20,000: the share, give or take.
  expect(wilsonLowerBound(400, 20_000)).toBeGreaterThan(0.018);
  expect(wilsonLowerBound(400, 20_000)).toBeLessThan(0.02);
  expect(wilsonLowerBound(0, 100)).toBe(0);
  expect(wilsonLowerBound(5, 0)).toBe(0);
});

it('a batch source counts every record once', () => {
  const records = Array.from({ length: 200 }, (_, i) => person({ locality: i < 100 ? 'sydney' : `town${i}` }));
  const frequency = valueFrequencies(records);
  expect(frequency('locality', 'sydney')).toBeGreaterThan(0.4);
  expect(frequency('locality', 'town150')).toBeLessThan(0.005);
  expect(frequency('locality', 'nowhere')).toBe(0);
});

it('combines stored counts with a chunk’s own, as one population', () => {
  const stored = new ValueCounts();
  const chunk = new ValueCounts();
  for (let i = 0; i < 90; i++) stored.add(person({ locality: i < 10 ? 'sydney' : `town${i}` }));
  for (let i = 0; i < 10; i++) chunk.add(person({ locality: 'sydney' }));
  const both = new ValueCounts();
  for (let i = 0; i < 90; i++) both.add(person({ locality: i < 10 ? 'sydney' : `town${i}` }));
  for (let i = 0; i < 10; i++) both.add(person({ locality: 'sydney' }));
  expect(combinedFrequencies(stored, chunk)('locality', 'sydney')).toBeCloseTo(both.frequency('locality', 'sydney')!);
  expect(combinedFrequencies(stored, new ValueCounts())('locality', 'sydney')).toBeCloseTo(stored.frequency('locality', 'sydney')!);
  expect(combinedFrequencies(stored, chunk)('given_name', 'ann')).toBeUndefined();
  expect(combinedFrequencies(new ValueCounts())('locality', 'sydney')).toBeUndefined();
});
