/**
 * The merge path, one place for identity resolution's planned merges (resolve/store.ts) and a
 * person's approved review (review/decide-review.ts): each loser's identifiers, archived events
 * and consents move to its survivor; the loser, and any profile merged into it before, point at
 * the survivor (merged_into always names the final one); the loser's trait rows go (the caller
 * writes or rebuilds the survivor's). The profiles must be locked by the caller.
 */
import type { Knex } from 'knex';
import { TENANT_ID } from '@stratum/db';

/** `merged`: loser → survivor. */
export async function mergeProfiles(trx: Knex.Transaction, tenantId: string, merged: ReadonlyMap<string, string>): Promise<void> {
  if (merged.size === 0) return;
  const pairs = JSON.stringify([...merged].map(([loser, survivor]) => ({ loser, survivor })));
  const m = 'json_to_recordset(?::json) AS m(loser text, survivor text)';
  await trx.raw(`UPDATE identifiers t SET profile_id = m.survivor FROM ${m} WHERE t.tenant_id = ${TENANT_ID} AND t.profile_id = m.loser`, [pairs, tenantId]);
  await trx.raw(`UPDATE profile_events t SET profile_id = m.survivor FROM ${m} WHERE t.tenant_id = ${TENANT_ID} AND t.profile_id = m.loser`, [pairs, tenantId]);
  await trx.raw(`UPDATE consents t SET profile_id = m.survivor FROM ${m} WHERE t.tenant_id = ${TENANT_ID} AND t.profile_id = m.loser`, [pairs, tenantId]);
  await trx.raw(`UPDATE profiles t SET merged_into = m.survivor, updated_at = now() FROM ${m} WHERE t.tenant_id = ${TENANT_ID} AND t.merged_into = m.loser`, [pairs, tenantId]);
  await trx.raw(`UPDATE profiles t SET status = 'merged', merged_into = m.survivor, version = t.version + 1, updated_at = now() FROM ${m} WHERE t.tenant_id = ${TENANT_ID} AND t.id = m.loser`, [pairs, tenantId]);
  await trx.raw(`DELETE FROM profile_traits WHERE tenant_id = ${TENANT_ID} AND profile_id = ANY(?)`, [tenantId, [...merged.keys()]]);
}
