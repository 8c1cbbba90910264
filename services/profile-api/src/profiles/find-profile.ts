/**
 * A profile by id, inside the tenant's transaction (withTenant: row-level security) and filtered by
 * tenant_id in the SQL as well. An id that was merged away leads to the profile that absorbed it
 * (merged_into always names the final survivor; the loop is only a guard), so an id a client once
 * stored keeps finding the person. Another tenant's id and an unknown id are the same: not found.
 */
import type { Knex } from 'knex';

export interface ProfileRow {
  readonly id: string;
  readonly status: 'active' | 'merged';
  readonly merged_into: string | null;
  readonly traits: Record<string, unknown>;
  readonly do_not_contact: boolean;
  readonly version: string;
  readonly first_seen_at: Date;
  readonly last_seen_at: Date;
}

export interface FoundProfile {
  /** The id asked for. */
  readonly requestedId: string;
  /** The profile that answers for it: the requested one, or the survivor it was merged into. */
  readonly row: ProfileRow;
}

/** Profile ids are short (`prf_` + 16); anything much longer is not one and costs no query. */
const MAX_PROFILE_ID_LENGTH = 128;
/** merged_into names the final survivor, so one hop is the norm; more means a bug. */
const MAX_HOPS = 8;

export interface FindOptions {
  /**
   * Lock the answering profile's row (FOR SHARE) until the transaction ends: a write about it (a
   * consent) then cannot race a merge, which locks the loser FOR UPDATE and re-points its rows.
   */
  readonly lock?: boolean;
}

/** The profile answering for `id` in the tenant, or null (unknown, or another tenant's). */
export async function findProfile(trx: Knex.Transaction, tenantId: string, id: string, options: FindOptions = {}): Promise<FoundProfile | null> {
  // PostgreSQL text cannot hold NUL (`%00` in the path): no profile has such an id.
  if (id.length === 0 || id.length > MAX_PROFILE_ID_LENGTH || id.includes('\u0000')) return null;
  let current = id;
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const { rows } = await trx.raw<{ rows: ProfileRow[] }>(
      `SELECT id, status, merged_into, traits, do_not_contact, version, first_seen_at, last_seen_at
       FROM profiles WHERE tenant_id = ? AND id = ?${options.lock === true ? ' FOR SHARE' : ''}`,
      [tenantId, current],
    );
    const row = rows[0];
    if (row === undefined) {
      if (hop === 0) return null;
      throw new Error(`profile ${id} was merged into ${current}, which does not exist`);
    }
    if (row.status === 'active' || row.merged_into === null) return { requestedId: id, row };
    current = row.merged_into;
  }
  throw new Error(`profile ${id}: more than ${MAX_HOPS} merged_into hops`);
}
