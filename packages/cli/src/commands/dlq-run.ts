/**
 * How a `stratum dlq` subcommand runs: like runWithDatabase (database-command.ts), with the same
 * exit codes, plus what replay adds: Kafka or the schema registry unreachable is "unreachable"
 * (3) as PostgreSQL is, and purge without --yes is a refusal (2) that says what it would do.
 */
import { createDb, dbErrors, isConnectionError, type Db } from '@stratum/db';
import { deadLetterErrors } from '@stratum/delivery';
import { defineErrorCodes, StratumError } from '@stratum/errors';
import { tenancyErrors } from '@stratum/tenancy';
import { DB_EXIT_CODES, type DatabaseFlags } from './database-command';

export const dlqCommandErrors = defineErrorCodes({
  usage: { retriable: false, description: 'a flag or setting is missing or invalid (no database URL, no Kafka for replay)' },
  confirmation_required: { retriable: false, description: 'purge was asked without --yes; nothing was purged (the message says how many would be)' },
  kafka_unavailable: { retriable: true, description: 'Kafka or the schema registry could not be reached before anything was replayed' },
  replay_incomplete: { retriable: true, description: 'replay stopped part-way; the message says how many were replayed and marked before it stopped' },
});

export const DLQ_EXIT_HELP = `
Exit codes:
  0  done (also when no dead letter matches)
  1  failed (the message says why; a replay that stopped part-way says how many went)
  2  usage error, or purge without --yes; nothing changed
  3  PostgreSQL, Kafka or the schema registry unreachable; nothing changed
  4  the tenant does not exist`;

function exitCodeOf(err: unknown): number {
  if (tenancyErrors.is(err, 'not_found')) return DB_EXIT_CODES.notFound;
  if (tenancyErrors.is(err, 'invalid_input') || deadLetterErrors.is(err) || dlqCommandErrors.is(err, 'confirmation_required') || dlqCommandErrors.is(err, 'usage')) return DB_EXIT_CODES.usage;
  if (tenancyErrors.is(err, 'tenancy_unavailable') || dbErrors.is(err, 'database_unavailable') || dlqCommandErrors.is(err, 'kafka_unavailable')) return DB_EXIT_CODES.unreachable;
  return DB_EXIT_CODES.failed;
}

/** A PostgreSQL connection failure from the store (which reports the driver's error as is) as database_unavailable. */
function normalised(err: unknown): unknown {
  if (!(err instanceof StratumError) && isConnectionError(err)) {
    return dbErrors.error('database_unavailable', `PostgreSQL is unreachable (${(err as Error).message})`, { cause: err });
  }
  return err;
}

function codeOf(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'failed';
}

/**
 * Runs `work` with a connection; prints `human(result)`, or `json(result)` with --json; errors
 * become a message on stderr (and JSON on stdout with --json) and an exit code.
 */
export async function runDlq<T>(command: string, flags: DatabaseFlags, work: (db: Db) => Promise<T>, human: (result: T) => string, json: (result: T) => unknown = (r) => r): Promise<void> {
  const url = flags.databaseUrl ?? process.env.DATABASE_URL;
  const fail = (err: unknown) => {
    const exitCode = exitCodeOf(err);
    const message = err instanceof Error ? err.message : String(err);
    const details = (err as { details?: Record<string, unknown> } | null)?.details ?? {};
    if (flags.json) process.stdout.write(`${JSON.stringify({ error: { code: codeOf(err), message, ...details }, exitCode }, null, 2)}\n`);
    process.stderr.write(`stratum ${command}: ${message}\n`);
    process.exitCode = exitCode;
  };
  if (!url) return fail(dlqCommandErrors.error('usage', 'no database: pass --database-url postgres://… or set DATABASE_URL'));
  let db: Db;
  try {
    db = createDb(url, { maxConnections: 2, applicationName: `stratum ${command}` });
  } catch (err) {
    return fail(dlqCommandErrors.error('usage', `invalid database URL: ${(err as Error).message}`));
  }
  try {
    const result = await work(db);
    process.stdout.write(flags.json ? `${JSON.stringify(json(result), null, 2)}\n` : human(result));
  } catch (err) {
    fail(normalised(err));
  } finally {
    await db.destroy();
  }
}
