/** `stratum tenant create|list`: provisioning (@stratum/tenancy). */
import { Command } from 'commander';
import { listTenants, provisionTenant, type PiiPolicy } from '@stratum/tenancy';
import { databaseCommand, lines, runWithDatabase, type DatabaseFlags } from './database-command';
import { addSourceFlags, sourceOptions, type SourceFlags } from './source-flags';

interface CreateFlags extends DatabaseFlags, SourceFlags {
  name: string;
  piiPolicy?: PiiPolicy;
}

export function tenantCommand(): Command {
  const create = addSourceFlags(
    databaseCommand('create', 'create a tenant with a default source, a write key and an admin key; with a name that exists, print its ids and create nothing')
      .requiredOption('--name <name>', 'tenant name, unique (case-insensitive)')
      .option('--pii-policy <keep|drop>', 'keep cleartext email/phone/IP in events, or drop them after hashing (default keep)'),
  ).action((flags: CreateFlags) =>
    runWithDatabase(
      'tenant create',
      flags,
      (db) => provisionTenant(db, { name: flags.name, ...(flags.piiPolicy ? { piiPolicy: flags.piiPolicy } : {}), ...sourceOptions(flags) }),
      (t) =>
        lines([
          ['tenantId', `${t.tenantId}${t.created ? '' : '  (exists: nothing created)'}`],
          ['sourceId', t.sourceId],
          ['writeKey', t.writeKey ?? '(not shown again; issue a new one with: stratum writekey rotate --source ' + t.sourceId + ')'],
          ['adminKey', t.adminKey ?? '(not shown again)'],
        ]) + (t.created ? 'Store the keys now: Stratum keeps only their hashes.\n' : ''),
    ),
  );
  const list = databaseCommand('list', 'list tenants').action((flags: DatabaseFlags) =>
    runWithDatabase('tenant list', flags, (db) => listTenants(db), (tenants) =>
      tenants.length === 0 ? 'no tenants\n' : tenants.map((t) => `${t.tenantId}  ${t.name}  pii=${t.piiPolicy}  sources=${t.sources}\n`).join(''),
    ),
  );
  return new Command('tenant').description('tenants: create, list').addCommand(create).addCommand(list);
}
