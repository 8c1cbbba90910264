/**
 * Estimates the model's m and u probabilities, once, from unlabelled records (the labels are not
 * read): u from random pairs, m by EM over the blocked candidate pairs with u fixed
 * (src/match/estimate.ts). Prints the `fields` block of src/match/model.ts.
 *
 *   pnpm --filter @stratum/matching run estimate-model [febrl1|febrl2|febrl3]
 */
import { febrl } from '../src/datasets';
import { FIELDS, PERSON_MATCH_MODEL, candidatePairs, cleanPerson, compareRecords, estimateM, estimateU, scorerOf, toMatchRecord } from '../src/index';

const which = Number((process.argv[2] ?? 'febrl2').replace('febrl', '')) as 1 | 2 | 3;
const dataset = febrl(which);
const records = dataset.records.map((input) => toMatchRecord(cleanPerson(input, dataset.source).person));
// The comparison vectors need a scorer only to decide whether crossed names fit better.
const scorer = scorerOf(PERSON_MATCH_MODEL);

const u = estimateU(records, scorer, { samples: 1_000_000, seed: 20261124 });
const candidates = candidatePairs(records);
const vectors: Int8Array[] = [];
for (let k = 0; k < candidates.left.length; k++) vectors.push(compareRecords(records[candidates.left[k]!]!, records[candidates.right[k]!]!, scorer).levels);

// EM starts from "agreement is likely for a match" and lets the data move it.
const initialM = FIELDS.map((f) => f.levels.map((_, level) => (level === 0 ? 0.8 : 0.2 / (f.levels.length - 1))));
const em = estimateM(vectors, u, { m: initialM, lambda: 0.1 }, { priorCount: 10 });

const round = (p: number): number => Number(p.toPrecision(3));
console.log(`// ${dataset.name}: ${records.length} records, ${vectors.length} candidate pairs, EM converged in ${em.iterations} iterations, lambda ${em.lambda.toFixed(4)}`);
const observed = FIELDS.map((_, f) => vectors.some((v) => v[f] !== -1));
for (const [f, spec] of FIELDS.entries()) {
  if (!observed[f]) {
    console.log(`    // ${spec.name}: never present in ${dataset.name}, set by hand in model.ts`);
    continue;
  }
  console.log(`    ${spec.name}: { m: [${em.m[f]!.map(round).join(', ')}], u: [${u[f]!.map(round).join(', ')}] }, // ${spec.levels.join(' / ')}`);
}
