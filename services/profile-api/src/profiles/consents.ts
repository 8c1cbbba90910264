/**
 * Consents are time-versioned (table consents): every change is a row, and a purpose's current
 * state is its row with the latest effective_at — ties broken by the later recording, then the
 * later insert. So a change recorded now with an earlier effectiveAt is kept as history but does
 * not override a later one. Rows written here have source `api`.
 */
import type { Knex } from 'knex';
import { epochMs } from '@stratum/db';
import { enqueueOutbox, profileChangeRecord, readProfileStates, stableId } from '@stratum/identity';
import type { ConsentChange as ConsentChangeRecord } from '@stratum/schemas';

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

/**
 * Appends the changes, in order, as one statement (source `api`), bumps the profile's version and
 * puts the consents.changes records and the profile's new snapshot in the identity outbox, so
 * delivery learns of a withdrawal as soon as the transaction commits.
 */
export async function appendConsents(trx: Knex.Transaction, tenantId: string, profileId: string, changes: readonly ConsentChange[]): Promise<void> {
  if (changes.length === 0) return;
  const { rows } = await trx.raw<{ rows: Array<{ id: string; purpose: string; status: ConsentStatus; effective_ms: string; recorded_ms: string; evidence: unknown }> }>(
    `INSERT INTO consents (tenant_id, profile_id, purpose, status, source, effective_at, evidence)
     SELECT ?, ?, c.purpose, c.status, 'api', COALESCE(c.effective_at, now()), c.evidence
     FROM json_to_recordset(?::json) AS c(n int, purpose text, status text, effective_at timestamptz, evidence jsonb) ORDER BY c.n
     RETURNING id, purpose, status, ${epochMs('effective_at')} AS effective_ms, ${epochMs('recorded_at')} AS recorded_ms, evidence`,
    [tenantId, profileId, JSON.stringify(changes.map((c, n) => ({ n, purpose: c.purpose, status: c.status, effective_at: c.effectiveAt, evidence: c.evidence })))],
  );
  await trx.raw('UPDATE profiles SET version = version + 1, updated_at = now() WHERE tenant_id = ? AND id = ?', [tenantId, profileId]);
  const records: ConsentChangeRecord[] = rows.map((r) => ({
    changeId: stableId(tenantId, profileId, 'consent', String(r.id)),
    tenantId,
    profileId,
    identifiers: [],
    purpose: r.purpose,
    status: r.status,
    source: 'api',
    messageId: null,
    evidence: r.evidence === null ? null : JSON.stringify(r.evidence),
    effectiveAt: Number(r.effective_ms),
    recordedAt: Number(r.recorded_ms),
  }));
  const state = (await readProfileStates(trx, tenantId, [profileId])).get(profileId)!;
  const changedAt = Number(rows[0]!.recorded_ms);
  await enqueueOutbox(trx, tenantId, [
    ...records.map((value) => ({ topic: 'consents.changes' as const, value })),
    { topic: 'profiles.changes', profileId, value: profileChangeRecord(tenantId, state, { change: 'updated', causedBy: records[0]!.changeId, changedAt }) },
  ]);
}
