/**
 * The destinations table as the store reads it. Summaries never select the ciphertext — only
 * whether there is one — so a listing cannot leak it even into a debug log of the rows.
 */
import type { Knex } from 'knex';
import { credentialErrors } from '../credentials/errors';
import { MISSING_KEYS_HELP } from '../credentials/keyring-config';
import type { CredentialKeyring } from '../credentials/keyring';
import type { DeliveryPolicy, DestinationFilters, DestinationSummary, DestinationType, JsonObject } from './destination';
import { destinationErrors } from './errors';

export const TABLE = 'destinations';
export const NAME_INDEX = 'destinations_tenant_name_unique';
export const TENANT_FOREIGN_KEY = 'destinations_tenant_fk';

export interface SummaryRow {
  tenant_id: string;
  destination_id: string;
  name: string;
  type: DestinationType;
  enabled: boolean;
  settings: JsonObject;
  filters: DestinationFilters;
  delivery_policy: DeliveryPolicy | null;
  has_credentials: boolean;
  credentials_key_id: string | null;
  created_at: Date;
  updated_at: Date;
  disabled_at: Date | null;
}

export interface CiphertextRow {
  tenant_id: string;
  destination_id: string;
  credentials_ciphertext: Buffer | null;
  credentials_key_id: string | null;
}

const SUMMARY_COLUMNS = [
  'tenant_id',
  'destination_id',
  'name',
  'type',
  'enabled',
  'settings',
  'filters',
  'delivery_policy',
  'credentials_key_id',
  'created_at',
  'updated_at',
  'disabled_at',
];

/** SELECT of summaries; `withCiphertext` adds the ciphertext, for delivery and rotation only. */
export function selectSummaries(trx: Knex.Transaction, options: { withCiphertext?: boolean } = {}): Knex.QueryBuilder {
  return trx(TABLE).select([...SUMMARY_COLUMNS, trx.raw('credentials_ciphertext IS NOT NULL AS has_credentials'), ...(options.withCiphertext === true ? ['credentials_ciphertext'] : [])]);
}

/** Rows of `tenantId` whose id, or name in any case, is `destination` (names cannot look like ids). */
export function whereDestination(query: Knex.QueryBuilder, tenantId: string, destination: string): Knex.QueryBuilder {
  return query.where('tenant_id', tenantId).andWhere((q) => q.where('destination_id', destination).orWhereRaw('lower(name) = lower(?)', [destination]));
}

export function toSummary(row: SummaryRow): DestinationSummary {
  return {
    tenantId: row.tenant_id,
    destinationId: row.destination_id,
    name: row.name,
    type: row.type,
    enabled: row.enabled,
    settings: row.settings,
    filters: row.filters,
    deliveryPolicy: row.delivery_policy,
    hasCredentials: row.has_credentials,
    credentialsKeyId: row.credentials_key_id,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    disabledAt: row.disabled_at === null ? null : row.disabled_at.toISOString(),
  };
}

export function notFound(tenantId: string, destination: string): Error {
  return destinationErrors.error('destination_not_found', `tenant ${tenantId} has no destination with id or name "${destination}"`, { details: { tenantId, destination } });
}

/** The keyring, or the error that says how to configure one. */
export function requireKeyring(keyring: CredentialKeyring | null): CredentialKeyring {
  if (keyring === null) throw credentialErrors.error('credential_keys_missing', MISSING_KEYS_HELP);
  return keyring;
}

/** The ciphertext's envelope must name the key its row says, or rotation's `WHERE credentials_key_id` would lie. */
export function checkKeyIdColumn(keyring: CredentialKeyring, row: CiphertextRow): void {
  if (row.credentials_ciphertext === null) return;
  const inEnvelope = keyring.keyIdOf(row.credentials_ciphertext);
  if (inEnvelope !== row.credentials_key_id) {
    throw credentialErrors.error('credentials_tampered', `destination ${row.destination_id}: credentials_key_id says "${String(row.credentials_key_id)}" but the ciphertext names "${inEnvelope}"`);
  }
}

/** Whether `err` is PostgreSQL refusing a write for the named constraint. */
export function violates(err: unknown, sqlState: '23505' | '23503', constraint: string): boolean {
  const e = err as { code?: unknown; constraint?: unknown } | null;
  return e?.code === sqlState && e.constraint === constraint;
}
