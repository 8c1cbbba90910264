/**
 * Matching quality on the ground-truth data sets, with the checked-in model (one set of weights
 * and thresholds for all of them, never tuned per data set): hygiene → blocking → Fellegi–Sunter →
 * clustering, scored as pairwise precision, recall and F1 over ALL true pairs (a duplicate that
 * blocking never proposed counts as missed). Each runs twice: with the model's weights as they
 * are (`scorerOf(PERSON_MATCH_MODEL)`), and with term frequencies counted over the batch
 * (`valueFrequencies`, the place fields). The floors are the figures reached, rounded down so
 * that one more missed or false pair fails. README.md has the table.
 */
import { PERSON_MATCH_MODEL, blockingRecall, candidatePairs, cleanPerson, linkRecords, pairwiseQuality, scorerOf, toMatchRecord, valueFrequencies, type LinkResult, type MatchRecord } from '../src/index';
import { febrl, generatedPersons, reviewSplit, rldata500, type Dataset } from '../src/datasets';

// Reached, with and without term frequencies alike: FEBRL 1 F1 0.9970, FEBRL 2 0.9990, FEBRL 3
// 0.9979, RLdata500 0.9899 (49 of 50), no false merge in any. (FEBRL's were 0.9990 / 1.0000 /
// 0.9992 before a strong merge needed some personal field not to contradict: the few duplicates
// whose birth date and national id both changed wholesale now go to review.)
// The rules that keep names-only, place-only and family-next-door pairs out of auto-merge cost
// FEBRL 1 one pair and FEBRL 3 eleven (sent to review instead); RLdata500's missed pair is the
// same full name with two of three birth-date parts changed (README.md).
const FLOORS: readonly [string, number, () => Dataset][] = [
  ['FEBRL 1', 0.9969, () => febrl(1)],
  ['FEBRL 2', 0.9989, () => febrl(2)],
  ['FEBRL 3', 0.9978, () => febrl(3)],
  ['RLdata500', 0.989, rldata500],
];

function prepare(dataset: Dataset): MatchRecord[] {
  return dataset.records.map((input) => toMatchRecord(cleanPerson(input, dataset.source).person));
}

function run(dataset: Dataset, records: readonly MatchRecord[], withFrequencies: boolean): { f1: number; result: LinkResult } {
  const started = performance.now();
  const scorer = withFrequencies ? scorerOf(PERSON_MATCH_MODEL, { frequencies: valueFrequencies(records) }) : scorerOf(PERSON_MATCH_MODEL);
  const result = linkRecords(records, scorer);
  const elapsedMs = performance.now() - started;
  const quality = pairwiseQuality(result.clusterOf, dataset.entities);
  const { same, different } = reviewSplit(result, records, dataset);
  console.log(
    `${dataset.name}${withFrequencies ? ' (term frequencies)' : ''}: precision ${quality.precision.toFixed(4)}, recall ${quality.recall.toFixed(4)}, F1 ${quality.f1.toFixed(4)}; ` +
      `${result.stats.pairsCompared} pairs compared of ${result.stats.allPairs}; ${result.stats.merges} merges, ` +
      `${result.stats.reviews} reviews (${same} same person, ${different} different); ${elapsedMs.toFixed(0)} ms`,
  );
  return { f1: quality.f1, result };
}

it.each(FLOORS)('%s: pairwise F1 ≥ %s, with and without term frequencies', (_name, floor, load) => {
  const dataset = load();
  const records = prepare(dataset);
  const candidates = candidatePairs(records);
  console.log(`${dataset.name}: blocking recall ${blockingRecall(candidates.left, candidates.right, dataset.entities).toFixed(4)}`);
  expect(run(dataset, records, false).f1).toBeGreaterThanOrEqual(floor);
  expect(run(dataset, records, true).f1).toBeGreaterThanOrEqual(floor);
});

// `pnpm stratum import generate --rows 5000 --seed 1`: fifty suburbs, so many different people
// share one. Reached: F1 1.0000 with and without term frequencies (no false merge: namesakes in
// one town whose birth dates and ids contradict go to review), 78 reviews of different people
// without them and 18 with them: the shared big-town suburb and postcode no longer weigh ~19 bits
// between them. (605 and 114 before the surname + postcode pass was split by birth decade, which
// stopped proposing most namesake pairs at all.) Two true pairs are in review either way (their
// records are linked through others).
it('generated file: term frequencies keep F1 and cut reviews of different people by three quarters', () => {
  const dataset = generatedPersons();
  const records = prepare(dataset);
  const plain = run(dataset, records, false);
  const adjusted = run(dataset, records, true);
  expect(plain.f1).toBeGreaterThanOrEqual(0.9999);
  expect(adjusted.f1).toBeGreaterThanOrEqual(0.9999);
  const without = reviewSplit(plain.result, records, dataset).different;
  expect(without).toBeGreaterThan(60);
  const withFrequencies = reviewSplit(adjusted.result, records, dataset);
  expect(withFrequencies).toEqual({ same: 2, different: expect.any(Number) });
  expect(withFrequencies.different).toBeLessThanOrEqual(without / 4);
});
