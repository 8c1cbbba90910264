/**
 * Prints the quality figures of the checked-in model on the ground-truth data sets (the table in
 * README.md): `pnpm --filter @stratum/matching run evaluate`.
 */
import { allDatasets, type Dataset } from '../test/datasets';
import { PERSON_MATCH_MODEL, blockingRecall, candidatePairs, cleanPerson, linkRecords, pairwiseQuality, scorerOf, toMatchRecord } from '../src/index';

const scorer = scorerOf(PERSON_MATCH_MODEL);

function evaluate(dataset: Dataset): void {
  const started = performance.now();
  const records = dataset.records.map((input) => toMatchRecord(cleanPerson(input, dataset.source).person));
  const result = linkRecords(records, scorer);
  const elapsed = performance.now() - started;
  const quality = pairwiseQuality(result.clusterOf, dataset.entities);
  const candidates = candidatePairs(records);
  const recallOfBlocking = blockingRecall(candidates.left, candidates.right, dataset.entities);
  console.log(
    [
      dataset.name.padEnd(10),
      `P ${quality.precision.toFixed(4)}`,
      `R ${quality.recall.toFixed(4)}`,
      `F1 ${quality.f1.toFixed(4)}`,
      `pairs ${result.stats.pairsCompared} / ${result.stats.allPairs} (${((100 * result.stats.pairsCompared) / result.stats.allPairs).toFixed(2)}%)`,
      `blocking recall ${recallOfBlocking.toFixed(4)}`,
      `merges ${result.stats.merges} reviews ${result.stats.reviews}`,
      `${elapsed.toFixed(0)} ms`,
    ].join('  '),
  );
}

for (const dataset of allDatasets()) evaluate(dataset);
