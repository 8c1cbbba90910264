/**
 * `stratum destination create|list|disable|enable|rotate-keys`: where a tenant's events go
 * (@stratum/destinations). Credentials are encrypted with STRATUM_CREDENTIALS_KEYS before they
 * reach PostgreSQL, and no command ever prints them: outputs say only which key holds them.
 */
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import {
  createDestination,
  credentialErrors,
  credentialKeyringFromEnv,
  destinationConfigProblems,
  DESTINATION_TYPES,
  disableDestination,
  enableDestination,
  listDestinations,
  rotateCredentials,
  type CredentialKeyring,
  type CredentialRotation,
  type DeliveryPolicy,
  type DestinationFilters,
  type DestinationSummary,
} from '@stratum/destinations';
import { findTenant } from '@stratum/tenancy';
import { duration, formatDuration, positive } from '../flags';
import { databaseCommand, lines, runWithDatabase, type DatabaseFlags } from './database-command';

/**
 * A JSON object given inline (`{"pixelId":"1"}`), as a file path, or `-` for standard input; a
 * problem is returned as a message. Read in the action, not by a commander option parser:
 * commander quotes a refused argument in its message, and this one may be a secret. For the same
 * reason messages about credentials never include V8's JSON error, which quotes the text too.
 */
function readJsonObject(what: 'settings' | 'credentials', value: string): Record<string, unknown> | string {
  const inline = /^\s*[[{]/.test(value);
  const where = inline ? 'the argument' : value === '-' ? 'standard input' : value;
  let text: string;
  try {
    text = inline ? value : readFileSync(value === '-' ? 0 : value, 'utf8');
  } catch (err) {
    return `cannot read ${what} from ${where}: ${(err as Error).message}`;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return `${what} in ${where} is not valid JSON${what === 'settings' ? ` (${(err as Error).message})` : ''}`;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return `${what} in ${where} must be a JSON object`;
  return parsed as Record<string, unknown>;
}

/** `a,b , c` → ['a', 'b', 'c']. */
function nameList(value: string): string[] {
  const names = value.split(',').map((n) => n.trim()).filter((n) => n !== '');
  if (names.length === 0) throw new InvalidArgumentError(`expected comma-separated event names or types, got "${value}"`);
  return names;
}

/** The keyring when STRATUM_CREDENTIALS_KEYS is set, else null (the store then says how to set it if credentials are needed); malformed keys fail. */
function configuredKeyring(): CredentialKeyring | null {
  try {
    return credentialKeyringFromEnv(process.env);
  } catch (err) {
    if (credentialErrors.is(err, 'credential_keys_missing')) return null;
    throw err;
  }
}

interface CreateFlags extends DatabaseFlags {
  tenant: string;
  type: string;
  name: string;
  settings?: string;
  credentials?: string;
  events?: string[];
  excludeEvents?: string[];
  consentPurpose?: string;
  maxAttempts?: number;
  maxAge?: number;
}

function filtersOf(flags: CreateFlags): DestinationFilters {
  return {
    ...(flags.events === undefined ? {} : { events: flags.events }),
    ...(flags.excludeEvents === undefined ? {} : { excludeEvents: flags.excludeEvents }),
    ...(flags.consentPurpose === undefined ? {} : { consentPurpose: flags.consentPurpose }),
  };
}

function policyOf(flags: CreateFlags): DeliveryPolicy | null {
  if (flags.maxAttempts === undefined && flags.maxAge === undefined) return null;
  return { ...(flags.maxAttempts === undefined ? {} : { maxAttempts: flags.maxAttempts }), ...(flags.maxAge === undefined ? {} : { maxAgeSeconds: flags.maxAge }) };
}

function credentialsLine(d: DestinationSummary): string {
  return d.credentialsKeyId === null ? 'none' : `encrypted (key ${d.credentialsKeyId})`;
}

function describeFilters(f: DestinationFilters): string {
  const parts = [f.events ? `events=${f.events.join(',')}` : 'events=all', ...(f.excludeEvents ? [`exclude=${f.excludeEvents.join(',')}`] : []), ...(f.consentPurpose ? [`consent=${f.consentPurpose}`] : [])];
  return parts.join(' ');
}

function describePolicy(p: DeliveryPolicy | null): string {
  if (p === null) return 'default';
  return [p.maxAttempts === undefined ? [] : [`${p.maxAttempts} attempts`], p.maxAgeSeconds === undefined ? [] : [`max age ${formatDuration(p.maxAgeSeconds)}`]].flat().join(', ');
}

function details(d: DestinationSummary): string {
  return lines([
    ['destinationId', d.destinationId],
    ['name', d.name],
    ['type', d.type],
    ['state', d.enabled ? 'enabled' : `disabled since ${d.disabledAt ?? '?'}`],
    ['filters', describeFilters(d.filters)],
    ['delivery', describePolicy(d.deliveryPolicy)],
    ['credentials', credentialsLine(d)],
  ]);
}

function listLine(d: DestinationSummary): string {
  return `${d.destinationId}  ${d.name}  ${d.type}${d.enabled ? '' : ' (disabled)'}  ${describeFilters(d.filters)}  delivery=${describePolicy(d.deliveryPolicy)}  credentials=${credentialsLine(d)}\n`;
}

function describeRotation(r: CredentialRotation & { removableKeyIds: string[] }): string {
  const inUse = Object.entries(r.keysInUse).map(([id, n]) => `${id}=${n}`);
  return (
    lines([
      ['rotated', String(r.rotated)],
      ['current', String(r.current)],
      ['failed', String(r.failed.length)],
      ['keysInUse', inUse.length === 0 ? 'none' : inUse.join(' ')],
      ['removable', r.removableKeyIds.length === 0 ? 'none' : r.removableKeyIds.join(' ')],
    ]) + r.failed.map((f) => `failed  ${f.tenantId} ${f.destinationId}  ${f.code}: ${f.message}\n`).join('')
  );
}

export function destinationCommand(): Command {
  const create = databaseCommand('create', 'add a destination to a tenant; credentials are encrypted with STRATUM_CREDENTIALS_KEYS (the last key, or STRATUM_CREDENTIALS_ACTIVE_KEY)')
    .requiredOption('--tenant <id|name>', 'the tenant')
    .requiredOption('--type <type>', `the adapter: ${DESTINATION_TYPES.join(', ')}`)
    .requiredOption('--name <name>', 'destination name, unique within the tenant (any case)')
    .option('--settings <file.json|json>', 'non-secret settings as a JSON object (endpoint, pixel id, event-name map, ...)')
    .option('--credentials <file.json|->', 'secrets as a JSON object, from a file or - for standard input (inline JSON works but stays in shell history)')
    .option('--events <a,b>', 'only these event names or types (default: every event)', nameList)
    .option('--exclude-events <a,b>', 'never these event names or types', nameList)
    .option('--consent-purpose <purpose>', 'only events of profiles that granted this purpose (e.g. marketing, sms)')
    .option('--max-attempts <n>', 'give up after this many delivery attempts (default: the retry stage’s)', positive)
    .option('--max-age <duration>', 'give up on an event this long after its first attempt, e.g. 4h (default: the retry stage’s)', duration)
    .action((flags: CreateFlags) => {
      const settings = flags.settings === undefined ? {} : readJsonObject('settings', flags.settings);
      const credentials = flags.credentials === undefined ? undefined : readJsonObject('credentials', flags.credentials);
      // Command.error prints "error: …" and exits 2 (usage) through the exit override, as a refused flag does.
      if (typeof settings === 'string') return create.error(`error: ${settings}`);
      if (typeof credentials === 'string') return create.error(`error: ${credentials}`);
      return runWithDatabase(
        'destination create',
        flags,
        async (db) => {
          const { tenantId } = await findTenant(db, flags.tenant);
          return createDestination(db, configuredKeyring(), tenantId, {
            name: flags.name,
            type: flags.type,
            settings,
            filters: filtersOf(flags),
            deliveryPolicy: policyOf(flags),
            ...(credentials === undefined ? {} : { credentials }),
          },
          // The adapter's own check: a destination delivery could not use is refused now, not dead-lettered later.
          { validateSettings: destinationConfigProblems },
          );
        },
        details,
      );
    });

  const list = databaseCommand('list', "list a tenant's destinations (never their credentials)")
    .requiredOption('--tenant <id|name>', 'the tenant')
    .option('--all', 'include disabled destinations')
    .action((flags: DatabaseFlags & { tenant: string; all?: boolean }) =>
      runWithDatabase(
        'destination list',
        flags,
        async (db) => listDestinations(db, (await findTenant(db, flags.tenant)).tenantId, { includeDisabled: flags.all === true }),
        (destinations) => (destinations.length === 0 ? 'no destinations\n' : destinations.map(listLine).join('')),
      ),
    );

  const setState = (name: 'disable' | 'enable', description: string, change: typeof disableDestination) =>
    databaseCommand(name, description)
      .requiredOption('--tenant <id|name>', 'the tenant')
      .argument('<destination>', 'the destination id (dst_…) or name')
      .action((destination: string, flags: DatabaseFlags & { tenant: string }) =>
        runWithDatabase(`destination ${name}`, flags, async (db) => change(db, (await findTenant(db, flags.tenant)).tenantId, destination), details),
      );

  const rotateKeys = databaseCommand(
    'rotate-keys',
    're-encrypt every tenant’s credentials under the active key. Run it once every service has the new STRATUM_CREDENTIALS_KEYS; keys shown as removable can then be dropped from it',
  ).action(async (flags: DatabaseFlags) => {
    let failed = 0;
    await runWithDatabase(
      'destination rotate-keys',
      flags,
      async (db) => {
        const keyring = credentialKeyringFromEnv(process.env);
        const rotation = await rotateCredentials(db, keyring);
        failed = rotation.failed.length;
        return { activeKeyId: keyring.activeKeyId, ...rotation, removableKeyIds: keyring.keyIds.filter((id) => !(id in rotation.keysInUse)) };
      },
      describeRotation,
    );
    // Rows left under an old key: that key is still needed, so the run did not finish its job.
    if (failed > 0) process.exitCode = 1;
  });

  return new Command('destination')
    .description("a tenant's destinations: create, list, disable, enable, rotate-keys")
    .addCommand(create)
    .addCommand(list)
    .addCommand(setState('disable', 'stop delivering to a destination (settings and credentials are kept)', disableDestination))
    .addCommand(setState('enable', 'resume delivering to a destination', enableDestination))
    .addCommand(rotateKeys);
}
