/**
 * Consents are time-versioned (table consents): every change is a row, and a purpose's current
 * state is its row with the latest effective_at — ties broken by the later recording, then the
 * later insert. So a change recorded now with an earlier effectiveAt is kept as history but does
 * not override a later one. Rows written here have source `api`.
 */
import type { Knex } from 'knex';

export const CONSENT_STATUSES = ['granted', 'denied', 'withdrawn'] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];

export interface ConsentView {
  readonly purpose: string;
  readonly status: ConsentStatus;
  /** status === 'granted': what delivery checks. */
  readonly granted: boolean;
  readonly effectiveAt: string;
  readonly recordedAt: string;
  /** Where the change came from: event, api, sms_keyword, import, operator. */
  readonly source: string;
}

/** One change to record. */
export interface ConsentChange {
  readonly purpose: string;
  readonly status: ConsentStatus;
  /** ISO-8601; null = now (the transaction's time). */
  readonly effectiveAt: string | null;
  readonly evidence: Record<string, unknown> | null;
}

/** The current consent per purpose, by purpose. */
export async function currentConsents(trx: Knex.Transaction, tenantId: string, profileId: string): Promise<ConsentView[]> {
  const { rows } = await trx.raw<{ rows: Array<{ purpose: string; status: ConsentStatus; effective_at: Date; recorded_at: Date; source: string }> }>(
    `SELECT DISTINCT ON (purpose) purpose, status, effective_at, recorded_at, source
     FROM consents WHERE tenant_id = ? AND profile_id = ?
     ORDER BY purpose, effective_at DESC, recorded_at DESC, id DESC`,
    [tenantId, profileId],
  );
  return rows.map((r) => ({
    purpose: r.purpose,
    status: r.status,
    granted: r.status === 'granted',
    effectiveAt: r.effective_at.toISOString(),
    recordedAt: r.recorded_at.toISOString(),
    source: r.source,
  }));
}

/** Appends the changes, in order, as one statement (source `api`). */
export async function appendConsents(trx: Knex.Transaction, tenantId: string, profileId: string, changes: readonly ConsentChange[]): Promise<void> {
  if (changes.length === 0) return;
  await trx.raw(
    `INSERT INTO consents (tenant_id, profile_id, purpose, status, source, effective_at, evidence)
     SELECT ?, ?, c.purpose, c.status, 'api', COALESCE(c.effective_at, now()), c.evidence
     FROM json_to_recordset(?::json) AS c(purpose text, status text, effective_at timestamptz, evidence jsonb)`,
    [tenantId, profileId, JSON.stringify(changes.map((c) => ({ purpose: c.purpose, status: c.status, effective_at: c.effectiveAt, evidence: c.evidence })))],
  );
}
