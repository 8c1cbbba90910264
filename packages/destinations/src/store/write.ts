/**
 * Creating and changing one tenant's destinations. Everything is checked before a transaction
 * opens; credentials are encrypted bound to the row (tenant and destination id) they go into.
 * A name taken meanwhile by a concurrent create is caught by the unique index, not a pre-check.
 */
import type { Db } from '@stratum/db';
import type { Knex } from 'knex';
import { openCredentials, sealCredentials, type Credentials, type SealedCredentials } from '../credentials/destination-credentials';
import type { CredentialKeyring } from '../credentials/keyring';
import type { CreateDestinationInput, DestinationSummary, DestinationUpdate, StoreOptions } from './destination';
import { destinationErrors, guarded } from './errors';
import { newDestinationId } from './ids';
import { checkKeyIdColumn, NAME_INDEX, notFound, requireKeyring, selectSummaries, TABLE, TENANT_FOREIGN_KEY, toSummary, violates, whereDestination, type CiphertextRow, type SummaryRow } from './rows';
import { withTenant } from './tenant-scope';
import { checkCredentials, checkDeliveryPolicy, checkFilters, checkName, checkSettings, checkType, runSettingsValidator } from './validate';

function credentialColumns(sealed: SealedCredentials | null) {
  return { credentials_ciphertext: sealed?.ciphertext ?? null, credentials_key_id: sealed?.keyId ?? null };
}

/** Turns the constraint violations a write can meet into the store's errors. */
function refusal(err: unknown, tenantId: string, name: string): unknown {
  if (violates(err, '23505', NAME_INDEX)) return destinationErrors.error('destination_name_taken', `tenant ${tenantId} already has a destination named "${name}"`, { cause: err, details: { tenantId, name } });
  if (violates(err, '23503', TENANT_FOREIGN_KEY)) return destinationErrors.error('tenant_not_found', `no tenant with id "${tenantId}"`, { cause: err, details: { tenantId } });
  return err;
}

async function summaryOf(trx: Knex.Transaction, tenantId: string, destinationId: string): Promise<DestinationSummary> {
  const row: SummaryRow = await selectSummaries(trx).where({ tenant_id: tenantId, destination_id: destinationId }).first();
  return toSummary(row);
}

/**
 * Adds a destination to a tenant. `keyring` may be null when no keys are configured: then only a
 * destination without credentials can be created. Returns it without credentials.
 */
export async function createDestination(db: Db, keyring: CredentialKeyring | null, tenantId: string, input: CreateDestinationInput, options: StoreOptions = {}): Promise<DestinationSummary> {
  const name = checkName(input.name);
  const type = checkType(input.type);
  const settings = checkSettings(input.settings ?? {});
  const filters = checkFilters(input.filters);
  const deliveryPolicy = checkDeliveryPolicy(input.deliveryPolicy);
  const credentials = input.credentials === undefined ? null : checkCredentials(input.credentials);
  await runSettingsValidator(options.validateSettings, type, settings, credentials);
  const destinationId = newDestinationId();
  const sealed = credentials === null ? null : sealCredentials(requireKeyring(keyring), { tenantId, destinationId }, credentials);
  const enabled = input.enabled ?? true;
  try {
    return await guarded('create the destination', () =>
      withTenant(db, tenantId, async (trx) => {
        await trx(TABLE).insert({
          tenant_id: tenantId,
          destination_id: destinationId,
          name,
          type,
          enabled,
          settings: JSON.stringify(settings),
          filters: JSON.stringify(filters),
          delivery_policy: deliveryPolicy === null ? null : JSON.stringify(deliveryPolicy),
          ...credentialColumns(sealed),
          disabled_at: enabled ? null : trx.fn.now(),
        });
        return summaryOf(trx, tenantId, destinationId);
      }),
    );
  } catch (err) {
    throw refusal(err, tenantId, name);
  }
}

type LockedRow = SummaryRow & CiphertextRow;

async function lockDestination(trx: Knex.Transaction, tenantId: string, destination: string): Promise<LockedRow> {
  const row: LockedRow | undefined = await whereDestination(selectSummaries(trx, { withCiphertext: true }), tenantId, destination).forUpdate().first();
  if (row === undefined) throw notFound(tenantId, destination);
  return row;
}

/** The credentials the type check sees: the new ones, or the stored ones decrypted. */
function effectiveCredentials(keyring: CredentialKeyring | null, row: LockedRow, replacement: Credentials | null | undefined): Credentials | null {
  if (replacement !== undefined) return replacement;
  if (row.credentials_ciphertext === null) return null;
  const ring = requireKeyring(keyring);
  checkKeyIdColumn(ring, row);
  return openCredentials(ring, { tenantId: row.tenant_id, destinationId: row.destination_id }, row.credentials_ciphertext);
}

/**
 * Changes a destination's name, settings, filters, credentials (null removes them) and/or delivery
 * policy. With a validator, new settings or credentials are checked together with the other half
 * (stored credentials are decrypted for it, which needs the keyring).
 */
export async function updateDestination(
  db: Db,
  keyring: CredentialKeyring | null,
  tenantId: string,
  destination: string,
  update: DestinationUpdate,
  options: StoreOptions = {},
): Promise<DestinationSummary> {
  const name = update.name === undefined ? undefined : checkName(update.name);
  const settings = update.settings === undefined ? undefined : checkSettings(update.settings);
  const filters = update.filters === undefined ? undefined : checkFilters(update.filters);
  const deliveryPolicy = update.deliveryPolicy === undefined ? undefined : checkDeliveryPolicy(update.deliveryPolicy);
  const credentials = update.credentials === undefined || update.credentials === null ? update.credentials : checkCredentials(update.credentials);
  if (credentials !== undefined && credentials !== null) requireKeyring(keyring);
  try {
    return await guarded('update the destination', () =>
      withTenant(db, tenantId, async (trx) => {
        const row = await lockDestination(trx, tenantId, destination);
        if (options.validateSettings !== undefined && (settings !== undefined || credentials !== undefined)) {
          await runSettingsValidator(options.validateSettings, row.type, settings ?? row.settings, effectiveCredentials(keyring, row, credentials));
        }
        const owner = { tenantId, destinationId: row.destination_id };
        const sealed = credentials === undefined ? undefined : credentials === null ? null : sealCredentials(requireKeyring(keyring), owner, credentials);
        await trx(TABLE)
          .where({ tenant_id: tenantId, destination_id: row.destination_id })
          .update({
            ...(name === undefined ? {} : { name }),
            ...(settings === undefined ? {} : { settings: JSON.stringify(settings) }),
            ...(filters === undefined ? {} : { filters: JSON.stringify(filters) }),
            ...(deliveryPolicy === undefined ? {} : { delivery_policy: deliveryPolicy === null ? null : JSON.stringify(deliveryPolicy) }),
            ...(sealed === undefined ? {} : credentialColumns(sealed)),
            updated_at: trx.fn.now(),
          });
        return summaryOf(trx, tenantId, row.destination_id);
      }),
    );
  } catch (err) {
    throw refusal(err, tenantId, name ?? destination);
  }
}

async function setEnabled(db: Db, tenantId: string, destination: string, enabled: boolean): Promise<DestinationSummary> {
  return guarded(`${enabled ? 'enable' : 'disable'} the destination`, () =>
    withTenant(db, tenantId, async (trx) => {
      const row = await lockDestination(trx, tenantId, destination);
      // Already in that state: unchanged, so disabled_at keeps saying when it was first disabled.
      if (row.enabled === enabled) return toSummary(row);
      await trx(TABLE)
        .where({ tenant_id: tenantId, destination_id: row.destination_id })
        .update({ enabled, disabled_at: enabled ? null : trx.fn.now(), updated_at: trx.fn.now() });
      return summaryOf(trx, tenantId, row.destination_id);
    }),
  );
}

/** Stops delivery to a destination (by id or name); settings and credentials stay. Idempotent. */
export function disableDestination(db: Db, tenantId: string, destination: string): Promise<DestinationSummary> {
  return setEnabled(db, tenantId, destination, false);
}

/** Resumes delivery to a destination (by id or name). Idempotent. */
export function enableDestination(db: Db, tenantId: string, destination: string): Promise<DestinationSummary> {
  return setEnabled(db, tenantId, destination, true);
}
