/**
 * Work over every tenant's destinations: the delivery service's cache, and key rotation. Each
 * tenant is read under its own RLS scope (tenant-scope.ts says why there is no bypass), so a bug
 * here can mix nothing up that a single-tenant query could not.
 */
import type { Db } from '@stratum/db';
import type { Knex } from 'knex';
import { credentialContext } from '../credentials/destination-credentials';
import { credentialErrors } from '../credentials/errors';
import type { CredentialKeyring } from '../credentials/keyring';
import type { DestinationWithCredentials } from './destination';
import { guarded } from './errors';
import { withCredentials } from './read';
import { checkKeyIdColumn, selectSummaries, TABLE, type CiphertextRow, type SummaryRow } from './rows';
import { scopeToTenant, tenantIds, withTenant } from './tenant-scope';

/** A destination whose credentials could not be decrypted (its key removed too early, or the row damaged). */
export interface UnreadableDestination {
  readonly tenantId: string;
  readonly destinationId: string;
  readonly keyId: string | null;
  /** A credentialErrors code: credential_key_unknown, credentials_tampered, credentials_format_unsupported. */
  readonly code: string;
  readonly message: string;
}

export interface EnabledDestinations {
  readonly destinations: DestinationWithCredentials[];
  /**
   * Enabled destinations left out because their credentials do not decrypt. Reported, not thrown:
   * one destination with a lost key must not stop delivery to every other (the caller logs and alerts).
   */
  readonly unreadable: UnreadableDestination[];
}

function unreadable(row: CiphertextRow, err: unknown): UnreadableDestination {
  if (!credentialErrors.is(err)) throw err;
  return { tenantId: row.tenant_id, destinationId: row.destination_id, keyId: row.credentials_key_id, code: err.code, message: err.message };
}

/** Every tenant's enabled destinations with credentials decrypted, read in one snapshot. */
export async function listEnabledDestinations(db: Db, keyring: CredentialKeyring): Promise<EnabledDestinations> {
  const rows: Array<SummaryRow & CiphertextRow> = await guarded('list enabled destinations', () =>
    db.transaction(
      async (trx) => {
        const tenants = await tenantIds(trx);
        const out: Array<SummaryRow & CiphertextRow> = [];
        for (const tenantId of tenants) {
          await scopeToTenant(trx, tenantId);
          out.push(...(await selectSummaries(trx, { withCiphertext: true }).where({ tenant_id: tenantId, enabled: true }).orderBy('destination_id')));
        }
        return out;
      },
      { isolationLevel: 'repeatable read', readOnly: true },
    ),
  );
  const result: EnabledDestinations = { destinations: [], unreadable: [] };
  for (const row of rows) {
    try {
      result.destinations.push(withCredentials(keyring, row));
    } catch (err) {
      result.unreadable.push(unreadable(row, err));
    }
  }
  return result;
}

export interface CredentialRotation {
  /** Re-encrypted under the active key now. */
  readonly rotated: number;
  /** Already under the active key (and still decrypting). */
  readonly current: number;
  /** Rows that could not be re-encrypted; their keys must stay configured until they are fixed. */
  readonly failed: UnreadableDestination[];
  /** Rows per key id after the rotation: a key with none can be removed from STRATUM_CREDENTIALS_KEYS. */
  readonly keysInUse: Readonly<Record<string, number>>;
}

async function rotateTenant(trx: Knex.Transaction, keyring: CredentialKeyring, tenantId: string): Promise<{ rotated: number; current: number; failed: UnreadableDestination[] }> {
  const rows: CiphertextRow[] = await trx(TABLE)
    .select('tenant_id', 'destination_id', 'credentials_ciphertext', 'credentials_key_id')
    .where('tenant_id', tenantId)
    .whereNotNull('credentials_ciphertext')
    .forUpdate();
  const outcome = { rotated: 0, current: 0, failed: [] as UnreadableDestination[] };
  for (const row of rows) {
    try {
      checkKeyIdColumn(keyring, row);
      const envelope = keyring.rotate(row.credentials_ciphertext!, credentialContext({ tenantId, destinationId: row.destination_id }));
      if (envelope === null) {
        outcome.current++;
        continue;
      }
      // updated_at stays: the destination's configuration, and its plaintext credentials, did not change.
      await trx(TABLE).where({ tenant_id: tenantId, destination_id: row.destination_id }).update({ credentials_ciphertext: envelope, credentials_key_id: keyring.activeKeyId });
      outcome.rotated++;
    } catch (err) {
      outcome.failed.push(unreadable(row, err));
    }
  }
  return outcome;
}

/**
 * Re-encrypts every tenant's credentials under the keyring's active key, one transaction per
 * tenant (a crash leaves each tenant either done or untouched; running again finishes the rest).
 * Every row is decrypted, so a clean run also proves nothing needs the keys it no longer uses.
 */
export async function rotateCredentials(db: Db, keyring: CredentialKeyring): Promise<CredentialRotation> {
  const tenants = await guarded('list tenants', () => tenantIds(db));
  let rotated = 0;
  let current = 0;
  const failed: UnreadableDestination[] = [];
  for (const tenantId of tenants) {
    const outcome = await guarded('rotate credentials', () => withTenant(db, tenantId, (trx) => rotateTenant(trx, keyring, tenantId)));
    rotated += outcome.rotated;
    current += outcome.current;
    failed.push(...outcome.failed);
  }
  const keysInUse: Record<string, number> = rotated + current > 0 ? { [keyring.activeKeyId]: rotated + current } : {};
  for (const f of failed) if (f.keyId !== null) keysInUse[f.keyId] = (keysInUse[f.keyId] ?? 0) + 1;
  return { rotated, current, failed, keysInUse };
}
