/**
 * Recipients who asked not to be messaged on a channel (delivery_opt_outs): an SMS "STOP" the
 * gateway received, a Twilio 21610 answer, an operator. Kept by value hash, never the number: the
 * hash is the one identity keeps for the profile (`canonical.phoneHash`, SHA-256 of the E.164
 * phone), so delivery can check a profile without the cleartext, and a STOP from a number reaches
 * every profile that has it. Functions take a transaction already scoped to the tenant (withTenant).
 */
import { canonicalPhone, sha256Hex } from '@stratum/identifiers';
import type { Knex } from 'knex';

/** Channels an opt-out applies to (the table's CHECK lists the same). */
export type OptOutChannel = 'sms';

export interface OptOut {
  readonly channel: OptOutChannel;
  /** Lower-case hex SHA-256 of the canonical value (phone: E.164); see phoneOptOutHash. */
  readonly valueHash: string;
  /** Why: `sms_keyword` (STOP received), `twilio_21610` (Twilio refused: the recipient opted out), `operator`... */
  readonly source: string;
}

/**
 * The value hash of a phone number as identity hashes it, or null when it is not a valid number.
 * Without `defaultRegion` only international input (`+…`, what Twilio sends) is read.
 */
export function phoneOptOutHash(phone: string, defaultRegion: string | null = null): string | null {
  const parsed = canonicalPhone(phone, defaultRegion);
  return 'e164' in parsed ? sha256Hex(parsed.e164) : null;
}

/** Records an opt-out; one already recorded keeps its first source and time. True when new. */
export async function recordOptOut(trx: Knex.Transaction, tenantId: string, optOut: OptOut): Promise<boolean> {
  const { rows } = await trx.raw<{ rows: unknown[] }>(
    `INSERT INTO delivery_opt_outs (tenant_id, channel, value_hash, source) VALUES (?, ?, ?, ?)
     ON CONFLICT (tenant_id, channel, value_hash) DO NOTHING RETURNING 1`,
    [tenantId, optOut.channel, optOut.valueHash, optOut.source],
  );
  return rows.length === 1;
}

/** Removes an opt-out (the recipient opted back in, e.g. START). True when there was one. */
export async function removeOptOut(trx: Knex.Transaction, tenantId: string, channel: OptOutChannel, valueHash: string): Promise<boolean> {
  const removed = await trx('delivery_opt_outs').where({ tenant_id: tenantId, channel, value_hash: valueHash }).delete();
  return removed > 0;
}

/** The hashes among `valueHashes` that opted out of `channel`. */
export async function optedOutAmong(trx: Knex.Transaction, tenantId: string, channel: OptOutChannel, valueHashes: readonly string[]): Promise<Set<string>> {
  if (valueHashes.length === 0) return new Set();
  const rows = await trx('delivery_opt_outs')
    .where({ tenant_id: tenantId, channel })
    .whereIn('value_hash', [...new Set(valueHashes)])
    .select<Array<{ value_hash: string }>>('value_hash');
  return new Set(rows.map((r) => r.value_hash));
}
