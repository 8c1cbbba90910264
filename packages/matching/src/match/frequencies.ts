/**
 * Term frequencies: how common each value of a field is among the records the matcher has seen,
 * for the scorer's term-frequency adjustment (score.ts). Counts per value are kept incrementally —
 * add a record when it is stored, remove it when it is deleted — so a stream consumer holds them in
 * memory next to its blocking index, and a batch counts its records once (`valueFrequencies`).
 */
import { FIELDS, type FieldName } from './fields';
import type { MatchRecord } from './record';

/**
 * How common `value` (a record's comparison form, as in MatchRecord) is in `field`: the share of
 * records holding it, from 0 to 1, or undefined when the source does not say (the scorer then
 * uses the model's weight as it is).
 */
export type FrequencySource = (field: FieldName, value: string) => number | undefined;

/**
 * The fields counted by default: the place fields. Their model u came from FEBRL, whose street,
 * suburb and postcode are drawn nearly uniformly from thousands of values, while real places are
 * unevenly populated (and `stratum import generate` has fifty suburbs): a shared big-town postcode
 * is weak evidence. Names are left to the model by default: its name u's already come from a
 * realistic frequency table, the names-alone rule keeps a common name from merging, and on the
 * data sets name frequencies gained nothing and cost a true pair (README.md, "Term frequencies").
 */
export const TERM_FREQUENCY_FIELDS: readonly FieldName[] = ['street', 'address_line_2', 'locality', 'postcode'];

/** z of a one-sided 95% bound: a frequency is claimed only as far as the counts support it. */
const Z = 1.645;

/** Counts of each value per counted field, over the records added (and not removed). */
export class ValueCounts {
  private readonly byField = new Map<FieldName, Map<string, number>>();
  private readonly counted: readonly { readonly name: FieldName; readonly value: (record: MatchRecord) => string | null }[];
  /** Records added minus records removed. */
  private total = 0;

  /** `fields`: those counted (default TERM_FREQUENCY_FIELDS); each must have a `termValue` in FIELDS. */
  constructor(fields: readonly FieldName[] = TERM_FREQUENCY_FIELDS) {
    this.counted = fields.map((name) => {
      const value = FIELDS.find((f) => f.name === name)?.termValue;
      if (!value) throw new Error(`${name} has no term-frequency value`);
      this.byField.set(name, new Map());
      return { name, value };
    });
  }

  get records(): number {
    return this.total;
  }

  add(record: MatchRecord): void {
    this.total++;
    for (const { name, value } of this.counted) {
      const v = value(record);
      if (v === null) continue;
      const counts = this.byField.get(name)!;
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
  }

  remove(record: MatchRecord): void {
    this.total--;
    for (const { name, value } of this.counted) {
      const v = value(record);
      if (v === null) continue;
      const counts = this.byField.get(name)!;
      const left = (counts.get(v) ?? 0) - 1;
      if (left > 0) counts.set(v, left);
      else counts.delete(v);
    }
  }

  /** Records holding `value` in `field` (0 for a field not counted). */
  count(field: FieldName, value: string): number {
    return this.byField.get(field)?.get(value) ?? 0;
  }

  /** Whether `field` is counted. */
  counts(field: FieldName): boolean {
    return this.byField.has(field);
  }

  /**
   * The frequency source of these counts: the lower bound of the Wilson score interval (one-sided
   * 95%) of count / records, so a value seen twice among a stream's first hundred records is not
   * declared common on that alone, while a suburb holding 2% of 20,000 records is. Undefined for
   * a field not counted, or before any record.
   */
  readonly frequency: FrequencySource = (field, value) => {
    const counts = this.byField.get(field);
    if (counts === undefined || this.total === 0) return undefined;
    return wilsonLowerBound(counts.get(value) ?? 0, this.total);
  };
}

/**
 * One frequency source over several sets of counts, as if they were one: a stream consumer's
 * stored records and the rows of the chunk it is deciding (added to the stored counts only once
 * the chunk commits). A field counts if any of them counts it.
 */
export function combinedFrequencies(...sets: readonly ValueCounts[]): FrequencySource {
  return (field, value) => {
    let records = 0;
    let count = 0;
    let counted = false;
    for (const set of sets) {
      records += set.records;
      if (!set.counts(field)) continue;
      counted = true;
      count += set.count(field, value);
    }
    return !counted || records === 0 ? undefined : wilsonLowerBound(count, records);
  };
}

/** The frequency source of a batch: each record counted once (TERM_FREQUENCY_FIELDS by default). */
export function valueFrequencies(records: Iterable<MatchRecord>, fields?: readonly FieldName[]): FrequencySource {
  const counts = new ValueCounts(fields);
  for (const record of records) counts.add(record);
  return counts.frequency;
}

/** Lower bound of the Wilson score interval of k successes in n trials. */
export function wilsonLowerBound(k: number, n: number, z = Z): number {
  if (n <= 0 || k <= 0) return 0;
  const p = Math.min(1, k / n);
  const z2 = z * z;
  const centre = p + z2 / (2 * n);
  const spread = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return Math.max(0, (centre - spread) / (1 + z2 / n));
}
