/** `stratum identity settings`: show or replace a tenant's identity rules (merge protection, survivorship; docs/identity.md). */
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { loadIdentitySettings, saveIdentitySettings, withTenant } from '@stratum/identity';
import { findTenant } from '@stratum/tenancy';
import { databaseCommand, runWithDatabase, type DatabaseFlags } from './database-command';

function jsonFile(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch (err) {
    throw new InvalidArgumentError(`cannot read ${path} as JSON: ${(err as Error).message}`);
  }
}

export function identityCommand(): Command {
  const settings = databaseCommand('settings', "show a tenant's effective identity settings; with --set, replace its settings document first")
    .requiredOption('--tenant <id|name>', 'the tenant')
    .option('--set <file.json>', 'the new settings document (any part of it; the defaults fill the rest)', jsonFile)
    .action((flags: DatabaseFlags & { tenant: string; set?: unknown }) =>
      runWithDatabase(
        'identity settings',
        flags,
        async (db) => {
          const { tenantId } = await findTenant(db, flags.tenant);
          return withTenant(db, tenantId, (trx) => (flags.set === undefined ? loadIdentitySettings(trx, tenantId) : saveIdentitySettings(trx, tenantId, flags.set)));
        },
        (s) => `${JSON.stringify(s, null, 2)}\n`,
      ),
    );
  return new Command('identity').description('identity resolution: per-tenant settings').addCommand(settings);
}
