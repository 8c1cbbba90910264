/**
 * Blocking: only records that share a key in at least one pass are compared, so the work grows
 * with the block sizes instead of n²/2. Each pass catches duplicates the others miss (a surname
 * typo changes its phonetic code but not the birth date; a mistyped birth date leaves the names),
 * so the candidate pairs are the union over all passes.
 */
import type { MatchRecord } from './record';

/** One blocking pass: a name for reports, and the key of a record (null: the record sits this pass out). */
export interface BlockingPass {
  readonly name: string;
  readonly key: (record: MatchRecord) => string | null;
}

const both = (a: string | null, b: string | null): string | null => (a === null || b === null ? null : `${a}|${b}`);
/**
 * A key split further by a value that only narrows the block: a record without that value keeps
 * the key (with an empty part) rather than sitting the pass out, so records missing it still meet
 * each other (RLdata500 has no region at all), only not those that have it.
 */
const refined = (key: string | null, by: string | null): string | null => (key === null ? null : `${key}|${by ?? ''}`);
/** The first letters of the street: enough to tell streets apart, short enough to survive a typo near the end. */
const streetStart = (r: MatchRecord): string | null => (r.street === null || r.street.length < 4 ? null : r.street.slice(0, 5));

/** The default passes. Keys are built only from present values: an empty key would block everyone together. */
export const DEFAULT_BLOCKING_PASSES: readonly BlockingPass[] = [
  // With the birth decade: a surname + postcode block alone holds every namesake family of a town
  // and grows with the tenant (39 of 115 pairs per row at 1M generated records, for 79 of ~600,000
  // true pairs no other pass found). A missing birth date is a refinement value of its own, so
  // two records without one still meet (see `refined`).
  { name: 'family_phonetic+postcode+birth_decade', key: (r) => refined(both(r.familyPhonetic, r.postcode), r.birthDigits?.slice(0, 3) ?? null) },
  // With the region: a birth date alone is shared by one person in ~30,000, so 1M records put 17
  // pairs per row in this pass and 84M would fill every block past the size limit.
  { name: 'birth_date+region', key: (r) => refined(r.birthDigits, r.region) },
  { name: 'national_id', key: (r) => r.nationalId },
  // Both initials, not the given initial alone: as many duplicates found on these data sets, and
  // blocks ~26 times smaller (a million records put ~400 people in each given-initial+year block).
  // With the region: by initials and year alone, 1M records put 34 pairs per row in this pass,
  // for 7 true pairs no other pass found.
  { name: 'initials+birth_year+region', key: (r) => refined(r.given === null || r.family === null || r.birthDigits === null ? null : `${[r.given[0], r.family[0]].sort().join('')}|${r.birthDigits.slice(0, 4)}`, r.region) },
  // Sorted, so given and family swapped between columns still meet.
  { name: 'name_phonetics', key: (r) => (r.givenPhonetic === null || r.familyPhonetic === null ? null : [r.givenPhonetic, r.familyPhonetic].sort().join('|')) },
  // Same address: catches people whose name, birth date and id were all damaged or changed. By
  // house number and street, not postcode and street: a postcode+street block holds a whole
  // street's residents and grows with the tenant (16 of 46 pairs per row at 200k generated
  // records, ~80 at 1M); dropping it cost no F1 on FEBRL 1–3, RLdata500 or generated files,
  // compared 37 % fewer pairs on 50,000 rows and halved the reviews of different people.
  { name: 'street_number+street_start', key: (r) => both(r.streetNumber, streetStart(r)) },
  { name: 'email', key: (r) => r.email },
  { name: 'phone', key: (r) => r.phone },
];

export interface BlockingOptions {
  readonly passes?: readonly BlockingPass[];
  /**
   * Blocks larger than this are skipped and reported: a key shared by thousands (a default
   * birth date, a placeholder postcode) says nothing about identity and would cost millions of pairs.
   */
  readonly maxBlockSize?: number;
}

export interface PassReport {
  readonly name: string;
  readonly blocks: number;
  /** Pairs this pass proposed (before removing those earlier passes already had). */
  readonly pairs: number;
  readonly skippedBlocks: number;
}

export interface CandidatePairs {
  /** Record indices, pair k is (left[k], right[k]) with left < right. */
  readonly left: Uint32Array;
  readonly right: Uint32Array;
  readonly passes: readonly PassReport[];
}

/**
 * The union of candidate pairs over all passes, each pair once. A pair is kept by the first pass
 * that proposes it: later passes recompute the earlier keys of the two records instead of
 * remembering every pair seen, so memory grows with the records, not with the pairs.
 */
export function candidatePairs(records: readonly MatchRecord[], options: BlockingOptions = {}): CandidatePairs {
  const passes = options.passes ?? DEFAULT_BLOCKING_PASSES;
  const maxBlockSize = options.maxBlockSize ?? 1000;
  const keys = passes.map((pass) => records.map((record) => pass.key(record)));
  const skippedKeys = passes.map(() => new Set<string>());
  const proposedEarlier = (pass: number, i: number, j: number): boolean => {
    for (let q = 0; q < pass; q++) {
      const key = keys[q]![i];
      if (key !== null && key === keys[q]![j] && !skippedKeys[q]!.has(key!)) return true;
    }
    return false;
  };
  const left: number[] = [];
  const right: number[] = [];
  const reports: PassReport[] = [];
  passes.forEach((pass, p) => {
    const blocks = new Map<string, number[]>();
    keys[p]!.forEach((key, i) => {
      if (key === null) return;
      const block = blocks.get(key);
      if (block) block.push(i);
      else blocks.set(key, [i]);
    });
    let pairs = 0;
    for (const [key, block] of blocks) {
      if (block.length < 2) continue;
      if (block.length > maxBlockSize) {
        skippedKeys[p]!.add(key);
        continue;
      }
      // Indices ascend within a block, so every pair comes out as (smaller, larger).
      for (let x = 0; x < block.length; x++) {
        for (let y = x + 1; y < block.length; y++) {
          pairs++;
          if (proposedEarlier(p, block[x]!, block[y]!)) continue;
          left.push(block[x]!);
          right.push(block[y]!);
        }
      }
    }
    reports.push({ name: pass.name, blocks: blocks.size, pairs, skippedBlocks: skippedKeys[p]!.size });
  });
  return { left: Uint32Array.from(left), right: Uint32Array.from(right), passes: reports };
}
