/**
 * profiles.do_not_contact follows the lists: a profile is marked while any identifier it holds is
 * listed. Identifiers follow merges (a merge re-points them to the survivor), so "the profile
 * holding it" is always the active one, and a survivor that absorbs a listed identifier is marked
 * on the merge itself (identity resolution calls markListedProfiles for every profile it touched).
 */
import type { Knex } from 'knex';
import { TENANT_ID } from '@stratum/db';
import { enqueueOutbox } from '../outbox/outbox';
import { profileChangeRecord, readProfileStates } from '../outbox/profile-change';

/** The identifiers a list entry can meet: namespace-less, of the listed types. */
const LISTED_TYPES = "('email', 'phone', 'user_id')";

/** SQL: profile `p` holds a listed identifier (an index probe per identifier of the profile). */
export const HOLDS_LISTED_SQL = `EXISTS (
  SELECT 1 FROM identifiers li JOIN do_not_contact_entries ld
    ON ld.tenant_id = li.tenant_id AND ld.type = li.type AND ld.value_hash = li.value_hash AND ld.removed_at IS NULL
  WHERE li.tenant_id = p.tenant_id AND li.profile_id = p.id AND li.namespace = '' AND li.type IN ${LISTED_TYPES})`;

/** SQL: the active profiles now holding the (type, value_hash) rows of a json_to_recordset parameter. */
export const PROFILES_HOLDING_SQL = `SELECT DISTINCT hi.profile_id FROM identifiers hi
  JOIN json_to_recordset(?::json) AS he(type text, value_hash text) ON hi.type = he.type AND hi.value_hash = he.value_hash
  WHERE hi.tenant_id = ${TENANT_ID} AND hi.namespace = ''`;

/**
 * Marks those of `profileIds` (active, not yet marked) that hold a listed identifier; returns
 * their ids. For identity resolution, after a chunk wrote its identifiers: a profile created or
 * merged later with a listed email or phone is marked in the same transaction. One statement for
 * the whole chunk; a tenant with no list skips it on one probe. Leaves `version` alone: the
 * chunk's snapshot (created, merged, updated) carries the flag. The transaction must hold
 * lockDoNotContactShared from its start.
 */
export async function markListedProfiles(trx: Knex.Transaction, tenantId: string, profileIds: readonly string[]): Promise<string[]> {
  if (profileIds.length === 0) return [];
  const { rows } = await trx.raw<{ rows: Array<{ id: string }> }>(
    `UPDATE profiles p SET do_not_contact = true, updated_at = now()
     WHERE p.tenant_id = ${TENANT_ID} AND p.id = ANY(?::text[]) AND p.status = 'active' AND NOT p.do_not_contact
       AND EXISTS (SELECT 1 FROM do_not_contact_entries WHERE tenant_id = ${TENANT_ID} AND removed_at IS NULL)
       AND ${HOLDS_LISTED_SQL}
     RETURNING p.id`,
    [tenantId, [...new Set(profileIds)], tenantId],
  );
  return rows.map((r) => r.id).sort();
}

/**
 * A list change flipped these profiles' flag (their version already bumped): publish their
 * golden-record snapshots (`updated`) through the outbox, as a consent change does, so
 * profiles.changes never shows a stale flag.
 */
export async function publishFlagChanges(trx: Knex.Transaction, tenantId: string, profileIds: readonly string[], changedAt: number): Promise<void> {
  if (profileIds.length === 0) return;
  const states = await readProfileStates(trx, tenantId, profileIds);
  await enqueueOutbox(
    trx,
    tenantId,
    [...profileIds]
      .sort()
      .flatMap((id) => {
        const state = states.get(id);
        return state === undefined ? [] : [{ topic: 'profiles.changes' as const, profileId: id, value: profileChangeRecord(tenantId, state, { change: 'updated', causedBy: null, changedAt }) }];
      }),
  );
}
