/** Reading one tenant's destinations: lists without credentials, and one with them for delivery. */
import type { Db } from '@stratum/db';
import { openCredentials } from '../credentials/destination-credentials';
import type { CredentialKeyring } from '../credentials/keyring';
import type { DestinationSummary, DestinationWithCredentials } from './destination';
import { guarded } from './errors';
import { checkKeyIdColumn, notFound, selectSummaries, toSummary, type CiphertextRow, type SummaryRow } from './rows';
import { withTenant } from './tenant-scope';

export interface ListOptions {
  /** Also the disabled ones (default: enabled only). */
  readonly includeDisabled?: boolean;
}

/** A tenant's destinations by name, never with credentials: `hasCredentials` and the key id say what is stored. */
export async function listDestinations(db: Db, tenantId: string, options: ListOptions = {}): Promise<DestinationSummary[]> {
  const rows: SummaryRow[] = await guarded('list destinations', () =>
    withTenant(
      db,
      tenantId,
      (trx) => {
        const query = selectSummaries(trx).where('tenant_id', tenantId).orderByRaw('lower(name)');
        return options.includeDisabled === true ? query : query.where('enabled', true);
      },
      { mode: 'snapshot' },
    ),
  );
  return rows.map(toSummary);
}

/** A row with its ciphertext, decrypted: credentials are null when it has none. Throws the credential errors of decrypt. */
export function withCredentials(keyring: CredentialKeyring, row: SummaryRow & CiphertextRow): DestinationWithCredentials {
  checkKeyIdColumn(keyring, row);
  const credentials = row.credentials_ciphertext === null ? null : openCredentials(keyring, { tenantId: row.tenant_id, destinationId: row.destination_id }, row.credentials_ciphertext);
  return { ...toSummary(row), credentials };
}

/** One destination (enabled or not) with its credentials decrypted, for the delivery service. */
export async function getDestinationWithCredentials(db: Db, keyring: CredentialKeyring, tenantId: string, destinationId: string): Promise<DestinationWithCredentials> {
  const row: (SummaryRow & CiphertextRow) | undefined = await guarded('read the destination', () =>
    withTenant(db, tenantId, (trx) => selectSummaries(trx, { withCiphertext: true }).where({ tenant_id: tenantId, destination_id: destinationId }).first(), { mode: 'snapshot' }),
  );
  if (row === undefined) throw notFound(tenantId, destinationId);
  return withCredentials(keyring, row);
}
