/**
 * Prints the quality figures of the checked-in model on the ground-truth data sets (the tables in
 * README.md), with the model's weights as they are and with term frequencies counted over each
 * batch, and how many review pairs are the same person or different people:
 *
 *   pnpm --filter @stratum/matching run evaluate [generated.csv ...]
 *
 * Files of `pnpm stratum import generate` given as arguments (absolute paths) are evaluated after
 * the four data sets and the checked-in generated file.
 */
import { resolve } from 'node:path';
import { allDatasets, generatedPersons, reviewSplit, type Dataset } from '../src/datasets';
import { PERSON_MATCH_MODEL, blockingRecall, candidatePairs, cleanPerson, linkRecords, pairwiseQuality, scorerOf, toMatchRecord, valueFrequencies } from '../src/index';

function evaluate(dataset: Dataset, withFrequencies: boolean): void {
  const started = performance.now();
  const records = dataset.records.map((input) => toMatchRecord(cleanPerson(input, dataset.source).person));
  const scorer = withFrequencies ? scorerOf(PERSON_MATCH_MODEL, { frequencies: valueFrequencies(records) }) : scorerOf(PERSON_MATCH_MODEL);
  const result = linkRecords(records, scorer);
  const elapsed = performance.now() - started;
  const quality = pairwiseQuality(result.clusterOf, dataset.entities);
  const candidates = candidatePairs(records);
  const recallOfBlocking = blockingRecall(candidates.left, candidates.right, dataset.entities);
  const { same, different } = reviewSplit(result, records, dataset);
  console.log(
    [
      dataset.name.padEnd(10),
      withFrequencies ? 'tf ' : '   ',
      `P ${quality.precision.toFixed(4)}`,
      `R ${quality.recall.toFixed(4)}`,
      `F1 ${quality.f1.toFixed(4)}`,
      `pairs ${result.stats.pairsCompared} / ${result.stats.allPairs} (${((100 * result.stats.pairsCompared) / result.stats.allPairs).toFixed(2)}%)`,
      `blocking recall ${recallOfBlocking.toFixed(4)}`,
      `merges ${result.stats.merges} reviews ${result.stats.reviews} (same person ${same}, different ${different})`,
      `${elapsed.toFixed(0)} ms`,
    ].join('  '),
  );
}

const datasets = [...allDatasets(), generatedPersons(), ...process.argv.slice(2).map((path) => ({ ...generatedPersons(resolve(path)), name: path }))];
for (const dataset of datasets) for (const withFrequencies of [false, true]) evaluate(dataset, withFrequencies);
