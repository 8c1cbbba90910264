/**
 * How a `stratum dlq` subcommand runs: like runWithDatabase (database-command.ts), with the same
 * exit codes, plus what replay adds: Kafka or the schema registry unreachable is "unreachable"
 * (3) as PostgreSQL is, and purge without --yes is a refusal (2) that says what it would do.
 */
import { dbErrors, type Db } from '@stratum/db';
import { deadLetterErrors } from '@stratum/delivery';
import { defineErrorCodes } from '@stratum/errors';
import { tenancyErrors } from '@stratum/tenancy';
import { DB_EXIT_CODES, runWithExitCodes, type DatabaseFlags } from './database-command';

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

/**
 * Runs `work` with a connection; prints `human(result)`, or `json(result)` with --json; errors
 * become a message on stderr (and JSON on stdout with --json) and an exit code.
 */
export function runDlq<T>(command: string, flags: DatabaseFlags, work: (db: Db) => Promise<T>, human: (result: T) => string, json?: (result: T) => unknown): Promise<void> {
  return runWithExitCodes(command, flags, work, { human, json }, exitCodeOf);
}
