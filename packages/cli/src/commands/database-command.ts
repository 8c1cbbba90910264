/**
 * What the database-backed commands (db, tenant, source, writekey) share: where PostgreSQL is
 * (`--database-url`, else DATABASE_URL, else the running `stratum start`), one connection for the command, output as lines or
 * `--json`, and exit codes that scripts can branch on.
 */
import { Command, type CommanderError } from 'commander';
import { createDb, dbErrors, type Db } from '@stratum/db';
import { identitySettingsErrors, reviewErrors } from '@stratum/identity';
import { credentialErrors, destinationErrors } from '@stratum/destinations';
import { tenancyErrors } from '@stratum/tenancy';
import { asDatabaseUnavailable, reportFailure } from './command-failure';
import { RUNNING_PLATFORM_HINT, defaultDatabaseUrl } from '../running-platform';

export const DB_EXIT_CODES = { ok: 0, failed: 1, usage: 2, unreachable: 3, notFound: 4 } as const;

export const DB_EXIT_HELP = `
Exit codes:
  0  done
  1  failed (the message says why)
  2  usage error or invalid input (a name, limit, region, dedup window or plan refused); nothing changed
  3  PostgreSQL unreachable; nothing changed
  4  the tenant, source or review entry named does not exist`;

export interface DatabaseFlags {
  databaseUrl?: string;
  json?: boolean;
}

/** Commander exits 1 on bad arguments; 1 means "failed" here, so usage errors are 2. */
function usageExit(err: CommanderError): never {
  process.exit(err.exitCode === 0 ? 0 : DB_EXIT_CODES.usage);
}

/** A subcommand with --database-url, --json and the exit-code help. */
export function databaseCommand(name: string, description: string): Command {
  return new Command(name)
    .description(description)
    .option('--database-url <url>', 'PostgreSQL URL (default: $DATABASE_URL, else the running pnpm start)')
    .option('--json', 'print the result as JSON ({"error":{code,message},"exitCode"} on failure)')
    .addHelpText('after', DB_EXIT_HELP)
    .exitOverride(usageExit);
}

function exitCodeOf(err: unknown): number {
  const invalidDestination = ['unknown_destination_type', 'invalid_destination_name', 'destination_name_taken', 'invalid_settings', 'invalid_filters', 'invalid_credentials', 'invalid_delivery_policy'] as const;
  if (tenancyErrors.is(err, 'invalid_input') || identitySettingsErrors.is(err, 'invalid_settings') || reviewErrors.is(err, 'review_selection_missing') || invalidDestination.some((c) => destinationErrors.is(err, c))) return DB_EXIT_CODES.usage;
  if (credentialErrors.is(err, 'credential_keys_missing') || credentialErrors.is(err, 'credential_key_invalid')) return DB_EXIT_CODES.usage;
  if (tenancyErrors.is(err, 'not_found') || destinationErrors.is(err, 'destination_not_found') || destinationErrors.is(err, 'tenant_not_found') || reviewErrors.is(err, 'review_not_found')) return DB_EXIT_CODES.notFound;
  if (tenancyErrors.is(err, 'tenancy_unavailable') || dbErrors.is(err, 'database_unavailable') || destinationErrors.is(err, 'destinations_unavailable')) return DB_EXIT_CODES.unreachable;
  return DB_EXIT_CODES.failed;
}

function codeOf(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'failed';
}

/**
 * Runs `work` with a connection and prints its result: `human(result)` as lines, or the result as
 * JSON with --json. Errors become a message on stderr (and JSON on stdout with --json) and an exit code.
 */
export async function runWithDatabase<T>(command: string, flags: DatabaseFlags, work: (db: Db) => Promise<T>, human: (result: T) => string): Promise<void> {
  const url = flags.databaseUrl ?? defaultDatabaseUrl();
  const fail = (code: string, message: string, exitCode: number) => {
    if (flags.json) process.stdout.write(`${JSON.stringify({ error: { code, message }, exitCode }, null, 2)}\n`);
    process.stderr.write(`stratum ${command}: ${message}\n`);
    process.exitCode = exitCode;
  };
  if (!url) return fail('usage', `no database: pass --database-url postgres://…, set DATABASE_URL, ${RUNNING_PLATFORM_HINT}`, DB_EXIT_CODES.usage);
  let db: Db;
  try {
    db = createDb(url, { maxConnections: 2, applicationName: `stratum ${command}` });
  } catch (err) {
    return fail('usage', `invalid database URL: ${(err as Error).message}`, DB_EXIT_CODES.usage);
  }
  try {
    const result = await work(db);
    process.stdout.write(flags.json ? `${JSON.stringify(result, null, 2)}\n` : human(result));
  } catch (err) {
    fail(codeOf(err), err instanceof Error ? err.message : String(err), exitCodeOf(err));
  } finally {
    await db.destroy();
  }
}

/**
 * runWithDatabase for commands with exit codes of their own (dlq, dnc): `exitCodeOf` classifies
 * every failure, whose details go into the JSON error; a driver's connection error counts as
 * PostgreSQL unreachable. `json` shapes the --json output (default: the result as it is).
 */
export async function runWithExitCodes<T>(
  command: string,
  flags: DatabaseFlags,
  work: (db: Db) => Promise<T>,
  output: { human: (result: T) => string; json?: ((result: T) => unknown) | undefined },
  exitCodeOf: (err: unknown) => number,
): Promise<void> {
  const url = flags.databaseUrl ?? defaultDatabaseUrl();
  const usage = (message: string) => reportFailure(command, flags.json, Object.assign(new Error(message), { code: 'usage' }), DB_EXIT_CODES.usage);
  if (!url) return usage(`no database: pass --database-url postgres://…, set DATABASE_URL, ${RUNNING_PLATFORM_HINT}`);
  let db: Db;
  try {
    db = createDb(url, { maxConnections: 2, applicationName: `stratum ${command}` });
  } catch (err) {
    return usage(`invalid database URL: ${(err as Error).message}`);
  }
  try {
    const result = await work(db);
    process.stdout.write(flags.json ? `${JSON.stringify((output.json ?? ((r: T) => r))(result), null, 2)}\n` : output.human(result));
  } catch (err) {
    const failure = asDatabaseUnavailable(err);
    reportFailure(command, flags.json, failure, exitCodeOf(failure));
  } finally {
    await db.destroy();
  }
}

/** Aligned `label  value` lines. */
export function lines(rows: ReadonlyArray<readonly [string, string]>): string {
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value}\n`).join('');
}
