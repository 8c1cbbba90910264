/** Listing identifiers: the entries, then every active profile holding one of them, in one transaction. */
import type { Knex } from 'knex';
import { checkEntries, type DoNotContactEntry } from './entries';
import { lockDoNotContactExclusive } from './lock';
import { PROFILES_HOLDING_SQL, publishFlagChanges } from './mark';

export interface DoNotContactAdded {
  /** Entries newly listed. */
  readonly added: number;
  /** Entries already listed (by any list; also a value repeated within the batch): left as they were. */
  readonly alreadyListed: number;
  /** Profiles whose flag this set (those already marked are not counted). */
  readonly profilesMarked: number;
}

/**
 * Lists `entries` (idempotent: an identifier already listed keeps its first entry) and marks
 * every active profile now holding one of them — already-listed ones too, so a profile that
 * missed its mark gets it. Marked profiles' versions are bumped and their snapshots published.
 * Inside the caller's tenant-scoped transaction (withTenant); a batch of about a thousand
 * entries per transaction keeps the tenant's identity resolution waiting only briefly (lock.ts).
 */
export async function addDoNotContact(trx: Knex.Transaction, tenantId: string, entries: readonly DoNotContactEntry[], now: () => number = Date.now): Promise<DoNotContactAdded> {
  checkEntries(entries);
  if (entries.length === 0) return { added: 0, alreadyListed: 0, profilesMarked: 0 };
  await lockDoNotContactExclusive(trx, tenantId);
  const rows = JSON.stringify(entries.map((e, n) => ({ n, type: e.type, value_hash: e.valueHash, value: e.value ?? null, list: e.list, reason: e.reason ?? null })));
  // DISTINCT ON: a value twice in one batch is one row, its first occurrence; rows are numbered in input order.
  const { rows: inserted } = await trx.raw<{ rows: unknown[] }>(
    `INSERT INTO do_not_contact_entries (tenant_id, type, value_hash, value, list, reason)
     SELECT ?, d.type, d.value_hash, d.value, d.list, d.reason FROM (
       SELECT DISTINCT ON (e.type, e.value_hash) e.* FROM json_to_recordset(?::json) AS e(n int, type text, value_hash text, value text, list text, reason text)
       ORDER BY e.type, e.value_hash, e.n) d
     ORDER BY d.n
     ON CONFLICT (tenant_id, type, value_hash) WHERE removed_at IS NULL DO NOTHING
     RETURNING 1`,
    [tenantId, rows],
  );
  const { rows: marked } = await trx.raw<{ rows: Array<{ id: string }> }>(
    `UPDATE profiles p SET do_not_contact = true, version = p.version + 1, updated_at = now()
     FROM (${PROFILES_HOLDING_SQL}) h
     WHERE p.tenant_id = ? AND p.id = h.profile_id AND p.status = 'active' AND NOT p.do_not_contact
     RETURNING p.id`,
    [rows, tenantId, tenantId],
  );
  await publishFlagChanges(trx, tenantId, marked.map((r) => r.id), now());
  return { added: inserted.length, alreadyListed: entries.length - inserted.length, profilesMarked: marked.length };
}
