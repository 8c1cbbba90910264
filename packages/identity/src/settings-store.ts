/** Reading and writing a tenant's identity settings (table identity_settings), inside its tenant-scoped transaction. */
import type { Knex } from 'knex';
import { defineErrorCodes } from '@stratum/errors';
import { checkIdentitySettings, identitySettings, type IdentitySettings, type IdentitySettingsDocument } from './settings';

export async function loadIdentitySettings(trx: Knex.Transaction, tenantId: string): Promise<IdentitySettings> {
  const row = await trx('identity_settings').where({ tenant_id: tenantId }).first<{ settings: IdentitySettingsDocument } | undefined>('settings');
  return identitySettings(row?.settings);
}

export const identitySettingsErrors = defineErrorCodes({
  invalid_settings: { retriable: false, description: 'an identity settings document was refused; the message lists every problem' },
});

/** Stores `settings` (a partial document over the defaults); throws invalid_settings listing every problem when it is invalid. */
export async function saveIdentitySettings(trx: Knex.Transaction, tenantId: string, settings: unknown): Promise<IdentitySettings> {
  const problems = checkIdentitySettings(settings);
  if (problems.length > 0) throw identitySettingsErrors.error('invalid_settings', `invalid identity settings: ${problems.join('; ')}`);
  await trx.raw(
    `INSERT INTO identity_settings (tenant_id, settings) VALUES (?, ?::jsonb)
     ON CONFLICT (tenant_id) DO UPDATE SET settings = excluded.settings, updated_at = now()`,
    [tenantId, JSON.stringify(settings)],
  );
  return identitySettings(settings as IdentitySettingsDocument);
}
