import { DEFAULT_BLOCKING_PASSES, PERSON_MATCH_MODEL, scorerOf } from '@stratum/matching';
import { Worker } from 'node:worker_threads';
import type { PersonImport } from '@stratum/schemas';
import { matchChunk } from './match-chunk';
import { createMatchWorker, MatcherLostError } from './match-worker-client';
import { importedPerson } from './person-record';
import { TenantRecords } from './tenant-records';

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

describe("on the matcher's thread (match-worker.ts)", () => {
  const matcher = createMatchWorker({ directory: __dirname });
  afterAll(() => matcher.close());

  test('the same decisions as in this thread, against the records it was sent and the pending rows', async () => {
    const stored = [person(bob), person({ givenName: 'Zelda', familyName: 'Quist', dateOfBirth: '1975-05-06', postcode: '7000' })];
    const pending = [person({ ...bob, givenName: 'Robert' })];
    const rows = [person(bob), person({ ...bob, familyName: 'Jonse' }), person({ givenName: 'Kim', familyName: 'Lee', postcode: '2604' })];
    matcher.add('t1', stored);
    const here = matchChunk(rows, TenantRecords.of(stored), scorer, { pending });
    await expect(matcher.match('t1', stored.length, rows, pending, 1000)).resolves.toEqual(here);
    expect(here[0]!.links.map((l) => l.recordKey).sort()).toEqual([stored[0]!.recordKey, pending[0]!.recordKey].sort());
    // Another tenant's records are not candidates.
    await expect(matcher.match('t2', 0, rows, [], 1000)).resolves.toEqual(matchChunk(rows, new TenantRecords(), scorer));
  });

  test('refuses to match against records other than the caller counts (a dropped tenant), and holds none after a drop', async () => {
    await expect(matcher.match('t1', 5, [person(bob)], [], 1000)).rejects.toThrow(/holds 2 records of the tenant, the index 5/);
    matcher.drop('t1');
    await expect(matcher.match('t1', 0, [person(bob)], [], 1000)).resolves.toEqual([{ links: [], reviews: [], compared: 0 }]);
  });

  test('a lost thread fails what was in flight and tells the index; the next request starts a new one', async () => {
    const lost = jest.fn();
    const threads: Worker[] = [];
    const own = createMatchWorker({ directory: __dirname, startThread: (file, options) => threads[threads.push(new Worker(file, options)) - 1]! });
    own.onLost(lost);
    own.add('t', [person(bob)]);
    const inFlight = own.match('t', 1, [person(bob)], [], 1000);
    // What an out-of-memory death looks like from here: the thread exits.
    await threads[0]!.terminate();
    await expect(inFlight).rejects.toThrow(MatcherLostError);
    expect(lost).toHaveBeenCalledTimes(1);
    await expect(own.match('t', 0, [person(bob)], [], 1000)).resolves.toEqual([{ links: [], reviews: [], compared: 0 }]);
    expect(threads).toHaveLength(2);
    await own.close();
  });
});
