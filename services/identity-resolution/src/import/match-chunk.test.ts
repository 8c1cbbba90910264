import { DEFAULT_BLOCKING_PASSES, PERSON_MATCH_MODEL, scorerOf } from '@stratum/matching';
import type { PersonImport } from '@stratum/schemas';
import { matchChunk } from './match-chunk';
import { importedPerson } from './person-record';
import { TenantRecords } from './record-index';

const scorer = scorerOf(PERSON_MATCH_MODEL);
let n = 0;
const person = (fields: Partial<PersonImport>) => {
  const p = importedPerson({
    tenantId: 't', sourceId: 's', importId: 'f'.repeat(64), rowNumber: ++n, recordId: null, receivedAt: 0,
    givenName: null, middleName: null, familyName: null, email: null, phone: null, dateOfBirth: null, nationalId: null, userId: null,
    streetNumber: null, addressLine1: null, addressLine2: null, locality: null, postcode: null, region: null, country: 'AU', attributes: '{}',
    ...fields,
  });
  return { match: p.match, recordKey: p.recordKey };
};
const bob = { givenName: 'Bob', familyName: 'Jones', dateOfBirth: '1975-05-06', streetNumber: '12', addressLine1: 'pridham street', postcode: '2604' };

test('a typo within the chunk links to the earlier row; names alone go to review; strangers to nothing', () => {
  const rows = [person(bob), person({ ...bob, familyName: 'Jonse' }), person({ givenName: 'Bob', familyName: 'Jones' }), person({ givenName: 'Kim', familyName: 'Lee', postcode: '2604' })];
  const [first, typo, namesOnly, stranger] = matchChunk(rows, new TenantRecords(), scorer);
  expect(first!.links).toEqual([]);
  expect(typo!.links.map((l) => [l.recordKey, l.decision.tier])).toEqual([[rows[0]!.recordKey, 'strong']]);
  expect(namesOnly!.links).toEqual([]);
  expect(namesOnly!.reviews.map((r) => r.decision.tier)).toEqual(['fuzzy', 'fuzzy']);
  expect(stranger).toEqual({ links: [], reviews: [], compared: expect.any(Number) });
});

test('stored candidates sharing a blocking key are matched, the others are not', () => {
  const stored = [person(bob), person({ givenName: 'Zelda', familyName: 'Quist', dateOfBirth: '1975-05-06', postcode: '7000' })];
  const [row] = matchChunk([person(bob)], TenantRecords.of(stored), scorer);
  expect(row!.links.map((l) => l.recordKey)).toEqual([stored[0]!.recordKey]);
  const passesKeyingBob = DEFAULT_BLOCKING_PASSES.filter((pass) => pass.key(stored[0]!.match) !== null).map((pass) => pass.name);
  expect(passesKeyingBob).toEqual(expect.arrayContaining(['birth_date+region', 'family_phonetic+postcode+birth_decade']));
});
