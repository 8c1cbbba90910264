/**
 * The person records the import stage matches against, held in memory per tenant. The candidate
 * query this replaces joined ~4,500 (pass, key) pairs per chunk to a table nine times the size of
 * person_records and took three quarters of the stage's time, growing with the tenant.
 *
 * The records themselves (comparison forms, blocks, term frequencies) live in the matcher's thread
 * (match-worker.ts), which matches on the second core; this side, on the main thread, decides what
 * the thread holds: which tenants, up to which `seq`, and each record key (to skip a row already
 * stored).
 *
 * The database stays the truth; the index is a cache of immutable rows (a stored record's
 * comparison fields never change; only its profile does, and that is read from the identity graph
 * at plan time). It stays exact across replicas and restarts because a tenant's chunks are
 * serialised by a transaction-scoped advisory lock and every person record carries an increasing
 * `seq` (migration 202611241800): under the lock, `seq > loaded` is everything the index lacks.
 * A chunk's own records are added only after its transaction committed.
 *
 * Memory is bounded by a record budget over all tenants: the least recently used tenants'
 * records are dropped when it is exceeded (read again on their next chunk), and all of them when
 * the matcher's thread is lost.
 */
import type { Knex } from 'knex';
import type { MatchRecord } from '@stratum/matching';
import type { MatchCandidate, RowDecisions } from './match-chunk';
import type { RecordMatcher } from './match-worker-client';
import { personRecordKey } from './person-record';

/** What the main thread knows of a tenant's stored records. */
export interface StoredRecords {
  readonly tenantId: string;
  readonly size: number;
  /** The highest `seq` read or added. */
  readonly loadedSeq: number;
  has(recordKey: string): boolean;
}

export interface RecordIndexOptions {
  /** The matcher's thread, which holds the records (match-worker-client.ts). */
  readonly matcher: RecordMatcher;
  /** Records held over all tenants before the least recently used are dropped (default 1,000,000, about 5 GB). */
  readonly maxRecords?: number;
  /** Rows read per statement while catching up (default 50,000). */
  readonly pageSize?: number;
}

export interface RecordIndex {
  /**
   * Inside the chunk's tenant transaction: takes the tenant's import lock (held until it ends) and
   * reads the records committed since the index last looked. The returned view is current for the
   * rest of the transaction.
   */
  catchUp(trx: Knex.Transaction, tenantId: string): Promise<StoredRecords>;
  /**
   * Each row's decisions against the tenant's records as they are now, plus `pending` (rows of a
   * sub-chunk not committed yet, matched against as if stored), worked out on the matcher's thread.
   */
  match(stored: StoredRecords, rows: readonly MatchCandidate[], pending: readonly MatchCandidate[], maxBlockSize: number): Promise<RowDecisions[]>;
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

export function createRecordIndex(options: RecordIndexOptions): RecordIndex {
  const { matcher } = options;
  const maxRecords = options.maxRecords ?? 1_000_000;
  const pageSize = options.pageSize ?? 50_000;
  type Tenant = StoredRecords & { readonly keys: Set<string>; loadedSeq: number };
  // Insertion order is recency order: a tenant is moved to the end whenever it is used.
  const tenants = new Map<string, Tenant>();
  let held = 0;
  matcher.onLost(() => {
    tenants.clear();
    held = 0;
  });

  const use = (tenantId: string): Tenant => {
    const found = tenants.get(tenantId);
    if (found) {
      tenants.delete(tenantId);
      tenants.set(tenantId, found);
      return found;
    }
    const keys = new Set<string>();
    const fresh: Tenant = { tenantId, keys, loadedSeq: 0, has: (k) => keys.has(k), get size() { return keys.size; } };
    tenants.set(tenantId, fresh);
    return fresh;
  };
  const evict = (keep: string) => {
    for (const [tenantId, records] of tenants) {
      if (held <= maxRecords) return;
      if (tenantId === keep) continue;
      tenants.delete(tenantId);
      matcher.drop(tenantId);
      held -= records.size;
    }
  };
  /** Adds what the tenant lacks, here and in the matcher's thread. */
  const add = (records: Tenant, candidates: readonly MatchCandidate[]) => {
    const fresh = candidates.filter((c) => !records.keys.has(c.recordKey));
    fresh.forEach((c) => records.keys.add(c.recordKey));
    held += fresh.length;
    matcher.add(records.tenantId, fresh);
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
        add(records, rows.map((r) => ({ match: matchOf(r), recordKey: personRecordKey(r.id) })));
        if (rows.length > 0) records.loadedSeq = Number(rows.at(-1)!.seq);
        if (rows.length < pageSize) break;
      }
      evict(tenantId);
      return records;
    },
    match(stored, rows, pending, maxBlockSize) {
      return matcher.match(stored.tenantId, stored.size, rows, pending, maxBlockSize);
    },
    committed(tenantId, added, maxSeq) {
      const records = tenants.get(tenantId);
      // Dropped meanwhile: the next catch-up reads everything, these included.
      if (!records) return;
      add(records, added);
      records.loadedSeq = Math.max(records.loadedSeq, maxSeq);
      evict(tenantId);
    },
    size: () => held,
  };
}
