/**
 * The person records the import stage matches against, held in memory per tenant: each record's
 * comparison form and, per blocking pass, the records under each key. The candidate query this
 * replaces joined ~4,500 (pass, key) pairs per chunk to a table nine times the size of
 * person_records and took three quarters of the stage's time, growing with the tenant.
 *
 * The database stays the truth; the index is a cache of immutable rows (a stored record's
 * comparison fields never change; only its profile does, and that is read from the identity graph
 * at plan time). It stays exact across replicas and restarts because a tenant's chunks are
 * serialised by a transaction-scoped advisory lock and every person record carries an increasing
 * `seq` (migration 202611241800): under the lock, `seq > loaded` is everything the index lacks.
 * A chunk's own records are added only after its transaction committed.
 *
 * Memory is bounded by a record budget over all tenants: the least recently used tenants'
 * indexes are dropped when it is exceeded (read again on their next chunk).
 */
import type { Knex } from 'knex';
import { DEFAULT_BLOCKING_PASSES, ValueCounts, type BlockingPass, type MatchRecord } from '@stratum/matching';
import type { MatchCandidate } from './match-chunk';
import { personRecordKey } from './person-record';

/** One tenant's stored records, by id and by blocking key, and how common each place value is among them (term frequencies). */
export class TenantRecords {
  private readonly byKey = new Map<string, MatchCandidate>();
  readonly counts = new ValueCounts();
  private readonly blocks: Array<Map<string, MatchCandidate[]>>;
  /** The highest `seq` read or added. */
  loadedSeq = 0;

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

export interface RecordIndexOptions {
  /** Records held over all tenants before the least recently used are dropped (default 1,000,000, about 5 GB). */
  readonly maxRecords?: number;
  /** Rows read per statement while catching up (default 50,000). */
  readonly pageSize?: number;
  readonly passes?: readonly BlockingPass[];
}

export interface RecordIndex {
  /**
   * Inside the chunk's tenant transaction: takes the tenant's import lock (held until it ends) and
   * reads the records committed since the index last looked. The returned view is current for the
   * rest of the transaction.
   */
  catchUp(trx: Knex.Transaction, tenantId: string): Promise<TenantRecords>;
  /** After the chunk's transaction committed: its records, with the highest `seq` they got. */
  committed(tenantId: string, records: readonly MatchCandidate[], maxSeq: number): void;
  /** Records held now, over all tenants. */
  size(): number;
}

type RecordRow = {
  seq: string;
  id: string;
  given: string | null;
  middle: string | null;
  family: string | null;
  given_phonetic: string | null;
  family_phonetic: string | null;
  birth_digits: string | null;
  national_id: string | null;
  email_hash: string | null;
  phone_hash: string | null;
  street_number: string | null;
  street: string | null;
  address_line2: string | null;
  locality: string | null;
  postcode: string | null;
  region: string | null;
};

const matchOf = (r: RecordRow): MatchRecord => ({
  id: r.id,
  given: r.given,
  middle: r.middle,
  family: r.family,
  givenPhonetic: r.given_phonetic,
  familyPhonetic: r.family_phonetic,
  birthDigits: r.birth_digits,
  nationalId: r.national_id,
  email: r.email_hash,
  phone: r.phone_hash,
  streetNumber: r.street_number,
  street: r.street,
  addressLine2: r.address_line2,
  locality: r.locality,
  postcode: r.postcode,
  region: r.region,
});

/** The tenant's import lock: chunks of one tenant write person records one transaction at a time. */
export async function lockTenantImport(trx: Knex.Transaction, tenantId: string): Promise<void> {
  await trx.raw("SELECT pg_advisory_xact_lock(hashtextextended('stratum.person_import:' || ?, 0))", [tenantId]);
}

export function createRecordIndex(options: RecordIndexOptions = {}): RecordIndex {
  const maxRecords = options.maxRecords ?? 1_000_000;
  const pageSize = options.pageSize ?? 50_000;
  // Insertion order is recency order: a tenant is moved to the end whenever it is used.
  const tenants = new Map<string, TenantRecords>();
  let held = 0;

  const use = (tenantId: string): TenantRecords => {
    const found = tenants.get(tenantId);
    if (found) {
      tenants.delete(tenantId);
      tenants.set(tenantId, found);
      return found;
    }
    const fresh = new TenantRecords(options.passes);
    tenants.set(tenantId, fresh);
    return fresh;
  };
  const evict = (keep: string) => {
    for (const [tenantId, records] of tenants) {
      if (held <= maxRecords) return;
      if (tenantId === keep) continue;
      tenants.delete(tenantId);
      held -= records.size;
    }
  };
  const add = (records: TenantRecords, candidate: MatchCandidate) => {
    const before = records.size;
    records.add(candidate);
    held += records.size - before;
  };

  return {
    async catchUp(trx, tenantId) {
      await lockTenantImport(trx, tenantId);
      const records = use(tenantId);
      for (;;) {
        const { rows } = await trx.raw<{ rows: RecordRow[] }>(
          `SELECT seq, id, given, middle, family, given_phonetic, family_phonetic, birth_digits, national_id, email_hash, phone_hash,
                  street_number, street, address_line2, locality, postcode, region
           FROM person_records WHERE tenant_id = ? AND seq > ? ORDER BY seq LIMIT ?`,
          [tenantId, records.loadedSeq, pageSize],
        );
        for (const r of rows) add(records, { match: matchOf(r), recordKey: personRecordKey(r.id) });
        if (rows.length > 0) records.loadedSeq = Number(rows.at(-1)!.seq);
        if (rows.length < pageSize) break;
      }
      evict(tenantId);
      return records;
    },
    committed(tenantId, added, maxSeq) {
      const records = tenants.get(tenantId);
      // Dropped meanwhile: the next catch-up reads everything, these included.
      if (!records) return;
      added.forEach((c) => add(records, c));
      records.loadedSeq = Math.max(records.loadedSeq, maxSeq);
      evict(tenantId);
    },
    size: () => held,
  };
}
