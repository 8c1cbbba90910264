/**
 * What identity resolution made of an import: read from `person_records` (one row per resolved
 * file row, with its outcome) and the identity graph, which identity-resolution's person-import
 * stage fills as it consumes `persons.import`. `stratum import` waits on it after producing, so
 * its report says how many rows matched an existing person and how many profiles are new.
 */
import { withTenant, type Db } from '@stratum/db';
import { PERSON_RECORD_NAMESPACE } from '@stratum/identity';

export interface ResolutionCounts {
  /** Rows of this import resolved so far. */
  readonly resolved: number;
  /** Rows put on an existing person: by an exact identifier (user id, email, phone) or a strong fuzzy match. */
  readonly matched: number;
  readonly matchedExact: number;
  readonly matchedFuzzy: number;
  /** Rows that started a profile of their own (reviews included). */
  readonly newProfiles: number;
  /** Of those, rows with a borderline pair in the review queue (identity_reviews, reason fuzzy_match). */
  readonly queuedForReview: number;
  /** The golden records the import's rows are on now (after every merge). */
  readonly profiles: number;
}

export async function resolutionCounts(db: Db, tenantId: string, importId: string): Promise<ResolutionCounts> {
  return withTenant(db, tenantId, async (trx) => {
    const { rows } = await trx.raw<{ rows: Array<{ resolved: string; exact: string; strong: string; fuzzy: string; fresh: string; profiles: string }> }>(
      `SELECT count(*) AS resolved,
              count(*) FILTER (WHERE r.outcome = 'exact') AS exact,
              count(*) FILTER (WHERE r.outcome = 'strong') AS strong,
              count(*) FILTER (WHERE r.outcome = 'fuzzy') AS fuzzy,
              count(*) FILTER (WHERE r.outcome = 'new') AS fresh,
              count(DISTINCT i.profile_id) AS profiles
       FROM person_records r
       LEFT JOIN identifiers i ON i.tenant_id = r.tenant_id AND i.type = 'external_id' AND i.namespace = ? AND i.value_hash = r.id
       WHERE r.tenant_id = ? AND r.import_id = ?`,
      [PERSON_RECORD_NAMESPACE, tenantId, importId],
    );
    const r = rows[0]!;
    const n = (s: string) => Number(s);
    return {
      resolved: n(r.resolved),
      matched: n(r.exact) + n(r.strong),
      matchedExact: n(r.exact),
      matchedFuzzy: n(r.strong),
      newProfiles: n(r.fresh) + n(r.fuzzy),
      queuedForReview: n(r.fuzzy),
      profiles: n(r.profiles),
    };
  });
}

/** Rows of the import resolved so far: what each poll reads (an index range), not the full counts. */
async function resolvedRows(db: Db, tenantId: string, importId: string): Promise<number> {
  return withTenant(db, tenantId, async (trx) => {
    const { rows } = await trx.raw<{ rows: Array<{ n: string }> }>('SELECT count(*) AS n FROM person_records WHERE tenant_id = ? AND import_id = ?', [tenantId, importId]);
    return Number(rows[0]!.n);
  });
}

export interface WaitOptions {
  /** Give up when no row was resolved for this long (identity-resolution not running, or stuck). */
  readonly stallMs: number;
  readonly pollMs?: number;
  readonly onProgress?: (resolved: number) => void;
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Polls until `expected` rows of the import are resolved, or nothing moved for `stallMs`; then
 * reads the full counts once (they join the identity graph: too heavy to repeat every second on a
 * million rows).
 */
export async function waitForResolution(db: Db, tenantId: string, importId: string, expected: number, options: WaitOptions): Promise<{ complete: boolean; counts: ResolutionCounts }> {
  const pollMs = options.pollMs ?? 1000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let resolved = await resolvedRows(db, tenantId, importId);
  let lastMove = Date.now();
  for (;;) {
    options.onProgress?.(resolved);
    if (resolved >= expected || Date.now() - lastMove >= options.stallMs) break;
    await sleep(pollMs);
    const next = await resolvedRows(db, tenantId, importId);
    if (next > resolved) lastMove = Date.now();
    resolved = next;
  }
  const counts = await resolutionCounts(db, tenantId, importId);
  return { complete: counts.resolved >= expected, counts };
}
