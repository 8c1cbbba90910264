/**
 * One tenant's stored person records as the matcher holds them (in its own thread,
 * match-worker.ts): each record's comparison form by record key, the records under each blocking
 * key per pass, and how common each place value is among them (term frequencies).
 */
import { DEFAULT_BLOCKING_PASSES, ValueCounts, type BlockingPass } from '@stratum/matching';
import type { MatchCandidate } from './match-chunk';

export class TenantRecords {
  private readonly byKey = new Map<string, MatchCandidate>();
  readonly counts = new ValueCounts();
  private readonly blocks: Array<Map<string, MatchCandidate[]>>;
  constructor(readonly passes: readonly BlockingPass[] = DEFAULT_BLOCKING_PASSES) {
    // One map per pass: a single map of every (pass, key) would pass V8's 2^24 entries near two million records.
    this.blocks = passes.map(() => new Map());
  }

  static of(candidates: readonly MatchCandidate[], passes?: readonly BlockingPass[]): TenantRecords {
    const records = new TenantRecords(passes);
    candidates.forEach((c) => records.add(c));
    return records;
  }

  get size(): number {
    return this.byKey.size;
  }

  has(recordKey: string): boolean {
    return this.byKey.has(recordKey);
  }

  get(recordKey: string): MatchCandidate | undefined {
    return this.byKey.get(recordKey);
  }

  block(pass: number, key: string): readonly MatchCandidate[] | undefined {
    return this.blocks[pass]!.get(key);
  }

  add(candidate: MatchCandidate): void {
    if (this.byKey.has(candidate.recordKey)) return;
    this.byKey.set(candidate.recordKey, candidate);
    this.counts.add(candidate.match);
    this.passes.forEach((pass, i) => {
      const key = pass.key(candidate.match);
      if (key === null) return;
      const block = this.blocks[i]!.get(key);
      if (block) block.push(candidate);
      else this.blocks[i]!.set(key, [candidate]);
    });
  }
}
