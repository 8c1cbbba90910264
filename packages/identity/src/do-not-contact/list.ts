/** What is listed: counts per list and type, and the newest entries (hashes; user ids in clear). */
import type { Knex } from 'knex';
import { epochMs } from '@stratum/db';
import type { DoNotContactType } from './entries';

export interface DoNotContactListing {
  /** Listed entries per list and type, lists by name. */
  readonly lists: ReadonlyArray<{ readonly list: string; readonly type: DoNotContactType; readonly entries: number }>;
  readonly total: number;
  /** Profiles flagged do-not-contact now. */
  readonly profilesMarked: number;
  /** The newest listed entries, newest first. */
  readonly newest: ReadonlyArray<{ readonly type: DoNotContactType; readonly valueHash: string; readonly value: string | null; readonly list: string; readonly reason: string | null; readonly addedAt: string }>;
}

export async function listDoNotContact(trx: Knex.Transaction, tenantId: string, options: { list?: string | null; limit?: number } = {}): Promise<DoNotContactListing> {
  const list = options.list ?? null;
  const { rows: counts } = await trx.raw<{ rows: Array<{ list: string; type: DoNotContactType; entries: number }> }>(
    `SELECT list, type, count(*)::int AS entries FROM do_not_contact_entries
     WHERE tenant_id = ? AND removed_at IS NULL AND (?::text IS NULL OR list = ?) GROUP BY list, type ORDER BY list, type`,
    [tenantId, list, list],
  );
  const { rows: newest } = await trx.raw<{ rows: Array<{ type: DoNotContactType; value_hash: string; value: string | null; list: string; reason: string | null; added_ms: string }> }>(
    `SELECT type, value_hash, value, list, reason, ${epochMs('added_at')} AS added_ms FROM do_not_contact_entries
     WHERE tenant_id = ? AND removed_at IS NULL AND (?::text IS NULL OR list = ?) ORDER BY added_at DESC, id DESC LIMIT ?`,
    [tenantId, list, list, options.limit ?? 20],
  );
  const { rows: marked } = await trx.raw<{ rows: Array<{ n: number }> }>("SELECT count(*)::int AS n FROM profiles WHERE tenant_id = ? AND status = 'active' AND do_not_contact", [tenantId]);
  return {
    lists: counts,
    total: counts.reduce((sum, c) => sum + c.entries, 0),
    profilesMarked: marked[0]!.n,
    newest: newest.map((r) => ({ type: r.type, valueHash: r.value_hash, value: r.value, list: r.list, reason: r.reason, addedAt: new Date(Number(r.added_ms)).toISOString() })),
  };
}
