/**
 * `mayReach` is a bound: the matcher skips a pair's full comparison when it says no, so it must
 * never say no to a pair whose score reaches the floor, with or without term frequencies, names
 * crossed over or not. Checked on every blocked pair of two real files, at the thresholds the
 * matcher uses and around them, and it must rule most strangers out (else it saves nothing).
 */
import { febrl, generatedPersons } from '../datasets';
import { cleanPerson } from '../hygiene/person';
import { candidatePairs } from './blocking';
import { valueFrequencies } from './frequencies';
import { PERSON_MATCH_MODEL } from './model';
import { toMatchRecord } from './record';
import { compareRecords, mayReach, scorerOf } from './score';
import { person } from './test-records';

const { autoMerge, review, cannotLink } = PERSON_MATCH_MODEL.thresholds;

it.each([
  ['FEBRL 1', () => febrl(1)],
  ['the generated file', () => generatedPersons()],
])('never rules out a pair that reaches the floor: %s', (_name, load) => {
  const dataset = load();
  const records = dataset.records.map((r) => toMatchRecord(cleanPerson(r, dataset.source).person));
  const { left, right } = candidatePairs(records);
  for (const scorer of [scorerOf(PERSON_MATCH_MODEL), scorerOf(PERSON_MATCH_MODEL, { frequencies: valueFrequencies(records) })]) {
    let ruledOut = 0;
    for (const floor of [review, autoMerge, cannotLink, review - 3, review + 3]) {
      for (let k = 0; k < left.length; k++) {
        const [a, b] = [records[left[k]!]!, records[right[k]!]!];
        const score = compareRecords(a, b, scorer).score;
        const may = mayReach(a, b, scorer, floor);
        if (score >= floor && !may) throw new Error(`ruled out ${a.id}/${b.id} scoring ${score} at floor ${floor}`);
        if (!may && floor === review) ruledOut++;
      }
    }
    const belowReview = Array.from(left, (i, k) => compareRecords(records[i]!, records[right[k]!]!, scorer).score < review).filter(Boolean).length;
    expect(ruledOut).toBeGreaterThan(0.5 * belowReview);
  }
});

it('counts names crossed over at their better reading', () => {
  const kayla = { givenName: 'kayla', familyName: 'harrington', birthDate: '19150612', postcode: '3465' };
  const a = person(kayla);
  const b = person({ ...kayla, givenName: 'harrington', familyName: 'kayla' });
  const score = compareRecords(a, b, scorerOf(PERSON_MATCH_MODEL)).score;
  expect(mayReach(a, b, scorerOf(PERSON_MATCH_MODEL), score)).toBe(true);
  expect(mayReach(a, b, scorerOf(PERSON_MATCH_MODEL), score + 0.01)).toBe(false);
});
