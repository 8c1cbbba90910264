/**
 * The two reads every golden-record snapshot needs, as SQL shared by identity resolution (inside
 * its one read-back statement) and readProfileStates (operator actions): a profile's newest
 * identifiers and its current consent per purpose. Both take the tenant as their one `?` and a
 * condition on profile_id (`= ANY(?)`, `IN (SELECT id FROM x)`).
 */
import { epochMs, TENANT_ID } from '@stratum/db';
import type { ConsentState } from '@stratum/schemas';

/** At most this many identifiers travel with a snapshot (the newest): a profile can have thousands of devices. */
export const SNAPSHOT_IDENTIFIERS = 50;

/** Columns: profile_id, type, namespace, value_hash, value, first_ms. */
export const newestIdentifiersSql = (profileCondition: string) => `SELECT profile_id, type, namespace, value_hash, value, first_ms FROM (
    SELECT profile_id, type, namespace, value_hash, value, ${epochMs('first_seen_at')} AS first_ms,
           row_number() OVER (PARTITION BY profile_id ORDER BY first_seen_at DESC, type, value_hash) AS n
    FROM identifiers WHERE tenant_id = ${TENANT_ID} AND profile_id ${profileCondition}) newest
  WHERE n <= ${SNAPSHOT_IDENTIFIERS}`;

/** Columns: profile_id, purpose, status, effective_ms. The latest effective_at wins; ties by the later recording, then the later insert. */
export const currentConsentsSql = (profileCondition: string) => `SELECT DISTINCT ON (profile_id, purpose) profile_id, purpose, status, ${epochMs('effective_at')} AS effective_ms
  FROM consents WHERE tenant_id = ${TENANT_ID} AND profile_id ${profileCondition}
  ORDER BY profile_id, purpose, effective_at DESC, recorded_at DESC, id DESC`;

export function consentStateOf(row: { purpose: string; status: string; effective_ms: number | string }): ConsentState {
  return { purpose: row.purpose, granted: row.status === 'granted', updatedAt: Number(row.effective_ms) };
}
