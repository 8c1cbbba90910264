import { candidatePairs, DEFAULT_BLOCKING_PASSES, type BlockingPass } from './blocking';
import { person } from './test-records';

const records = [
  person({ givenName: 'kayla', familyName: 'harrington', postcode: '3465', birthDate: '19150612' }),
  person({ givenName: 'kayla', familyName: 'harington', postcode: '3465', birthDate: '19150612' }),
  person({ givenName: 'kaila', familyName: 'harrington', postcode: '3465', birthDate: '19150621' }),
  person({ givenName: 'lachlan', familyName: 'berry', postcode: '4814', birthDate: '19990219' }),
  person({ givenName: 'lachlan', familyName: 'berry' }),
];

const pairsOf = (result: { left: Uint32Array; right: Uint32Array }): string[] => Array.from(result.left, (l, k) => `${l}-${result.right[k]}`).sort();

it('proposes the union of every pass, each pair once', () => {
  const result = candidatePairs(records);
  expect(pairsOf(result)).toEqual(['0-1', '0-2', '1-2', '3-4']);
  expect(result.passes.find((p) => p.name === 'birth_date+region')).toMatchObject({ pairs: 1 });
  expect(result.passes.find((p) => p.name === 'family_phonetic+postcode+birth_decade')).toMatchObject({ pairs: 3 });
});

it('leaves a record out of a pass whose key it cannot fill', () => {
  const byBirthDate: BlockingPass = { name: 'birth_date', key: (r) => r.birthDigits };
  expect(pairsOf(candidatePairs(records, { passes: [byBirthDate] }))).toEqual(['0-1']);
});

it('skips and reports blocks over the size limit', () => {
  const everyone: BlockingPass = { name: 'everyone', key: () => 'same' };
  const result = candidatePairs(records, { passes: [everyone], maxBlockSize: 4 });
  expect(result.left.length).toBe(0);
  expect(result.passes).toEqual([{ name: 'everyone', blocks: 1, pairs: 0, skippedBlocks: 1 }]);
});

it('refines a pass by region without dropping records that have none: those still meet each other', () => {
  const born = { givenName: 'erika', familyName: 'weber', birthDate: '19620301' };
  const byRegion = DEFAULT_BLOCKING_PASSES.filter((p) => p.name === 'birth_date+region');
  const people = [person({ ...born, region: 'vic' }), person({ ...born, region: 'vic' }), person({ ...born, region: 'nsw' }), person(born), person(born)];
  expect(pairsOf(candidatePairs(people, { passes: byRegion }))).toEqual(['0-1', '3-4']);
});
