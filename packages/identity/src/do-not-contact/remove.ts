/** Taking identifiers off the lists: the entries are marked removed, and profiles held by nothing listed any more are unmarked. */
import type { Knex } from 'knex';
import { checkEntries, checkText, type DoNotContactRef } from './entries';
import { lockDoNotContactExclusive } from './lock';
import { HOLDS_LISTED_SQL, PROFILES_HOLDING_SQL, publishFlagChanges } from './mark';

export interface DoNotContactRemoveOptions {
  /** Only entries of this list; an identifier listed under another one stays listed (counted as not listed). */
  readonly list?: string | null;
  readonly reason?: string | null;
  readonly now?: () => number;
}

export interface DoNotContactRemoved {
  /** Entries marked removed. */
  readonly removed: number;
  /** Identifiers that were not listed (in `list`, when given), or repeated within the batch. */
  readonly notListed: number;
  /** Profiles whose flag this cleared: only those no other listed identifier holds. */
  readonly profilesUnmarked: number;
}

/**
 * Removes `refs` from the lists (the rows stay, with removed_at and the reason) and unmarks the
 * active profiles that held one of them unless another identifier they hold is still listed.
 * Unmarked profiles' versions are bumped and their snapshots published. Inside the caller's
 * tenant-scoped transaction.
 */
export async function removeDoNotContact(trx: Knex.Transaction, tenantId: string, refs: readonly DoNotContactRef[], options: DoNotContactRemoveOptions = {}): Promise<DoNotContactRemoved> {
  checkEntries(refs);
  checkText('list', options.list);
  checkText('reason', options.reason);
  if (refs.length === 0) return { removed: 0, notListed: 0, profilesUnmarked: 0 };
  await lockDoNotContactExclusive(trx, tenantId);
  const { rows: removed } = await trx.raw<{ rows: Array<{ type: string; value_hash: string }> }>(
    `UPDATE do_not_contact_entries d SET removed_at = now(), removed_reason = ?
     FROM (SELECT DISTINCT r.type, r.value_hash FROM json_to_recordset(?::json) AS r(type text, value_hash text)) r
     WHERE d.tenant_id = ? AND d.type = r.type AND d.value_hash = r.value_hash AND d.removed_at IS NULL AND (?::text IS NULL OR d.list = ?)
     RETURNING d.type, d.value_hash`,
    [options.reason ?? null, JSON.stringify(refs.map((r) => ({ type: r.type, value_hash: r.valueHash }))), tenantId, options.list ?? null, options.list ?? null],
  );
  if (removed.length === 0) return { removed: 0, notListed: refs.length, profilesUnmarked: 0 };
  // The removal above is visible to this statement: HOLDS_LISTED_SQL sees only what is still listed.
  const { rows: unmarked } = await trx.raw<{ rows: Array<{ id: string }> }>(
    `UPDATE profiles p SET do_not_contact = false, version = p.version + 1, updated_at = now()
     FROM (${PROFILES_HOLDING_SQL}) h
     WHERE p.tenant_id = ? AND p.id = h.profile_id AND p.status = 'active' AND p.do_not_contact AND NOT ${HOLDS_LISTED_SQL}
     RETURNING p.id`,
    [JSON.stringify(removed), tenantId, tenantId],
  );
  await publishFlagChanges(trx, tenantId, unmarked.map((r) => r.id), (options.now ?? Date.now)());
  return { removed: removed.length, notListed: refs.length - removed.length, profilesUnmarked: unmarked.length };
}
