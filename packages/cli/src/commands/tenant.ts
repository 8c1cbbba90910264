/** `stratum tenant create|list|update`: provisioning (@stratum/tenancy). */
import { Command } from 'commander';
import { listTenants, provisionTenant, updateTenant, type PiiPolicy } from '@stratum/tenancy';
import { databaseCommand, lines, runWithDatabase, type DatabaseFlags } from './database-command';
import { addSourceFlags, DEDUP_WINDOW_RANGE, dedupWindow, dedupWindowSeconds, describeDedupWindow, sourceOptions, type DedupWindowFlag, type SourceFlags } from './source-flags';

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
      tenants.length === 0
        ? 'no tenants\n'
        : tenants.map((t) => `${t.tenantId}  ${t.name}  pii=${t.piiPolicy}  sources=${t.sources}  dedupWindow=${describeDedupWindow(t.dedupWindowSeconds)}\n`).join(''),
    ),
  );
  // Required, and the only setting today: an update that changes nothing would only hide a typo.
  const update = databaseCommand('update', "change a tenant's settings; services see it within their cache TTL")
    .requiredOption('--tenant <id>', 'the tenant id (ten_…)')
    .requiredOption('--dedup-window <duration|default>', `the dedup window of its sources that set none (${DEDUP_WINDOW_RANGE}, e.g. 24h); default = the dedup service's`, dedupWindow)
    .action((flags: DatabaseFlags & { tenant: string; dedupWindow: DedupWindowFlag }) =>
      runWithDatabase('tenant update', flags, (db) => updateTenant(db, flags.tenant, { dedupWindowSeconds: dedupWindowSeconds(flags.dedupWindow) }), (t) =>
        lines([
          ['tenantId', t.tenantId],
          ['name', t.name],
          ['dedupWindow', describeDedupWindow(t.dedupWindowSeconds)],
        ]),
      ),
    );
  return new Command('tenant').description('tenants: create, list, update').addCommand(create).addCommand(list).addCommand(update);
}
