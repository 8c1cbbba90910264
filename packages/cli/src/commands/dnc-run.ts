/**
 * How a `stratum dnc` subcommand runs: like runDlq (dlq-run.ts), with the database commands' exit
 * codes. A file that cannot be read or told apart is a usage error (2) and nothing is written; a
 * bad line never is (the report lists it); an import that stops part-way (1) says how far it got.
 */
import { dbErrors, type Db } from '@stratum/db';
import { defineErrorCodes } from '@stratum/errors';
import { doNotContactErrors } from '@stratum/identity';
import { tenancyErrors } from '@stratum/tenancy';
import { DB_EXIT_CODES, runWithExitCodes, type DatabaseFlags } from './database-command';

export const dncCommandErrors = defineErrorCodes({
  usage: { retriable: false, description: 'a flag, the database URL or the input file is missing or cannot be read; nothing was written' },
  stopped_part_way: { retriable: true, description: 'the import or removal stopped after some batches were written; running it again is safe (listed values are skipped)' },
});

export const DNC_EXIT_HELP = `
Exit codes:
  0  done (also when some lines were invalid: the report lists them)
  1  failed (the message says why; an import that stopped part-way says how far it got)
  2  usage error, or a file whose shape cannot be told (no header naming a column, no --type); nothing written
  3  PostgreSQL unreachable; nothing written
  4  the tenant does not exist`;

function exitCodeOf(err: unknown): number {
  if (tenancyErrors.is(err, 'not_found')) return DB_EXIT_CODES.notFound;
  if (tenancyErrors.is(err, 'invalid_input') || dncCommandErrors.is(err, 'usage') || doNotContactErrors.is(err, 'invalid_entry')) return DB_EXIT_CODES.usage;
  if (tenancyErrors.is(err, 'tenancy_unavailable') || dbErrors.is(err, 'database_unavailable')) return DB_EXIT_CODES.unreachable;
  return DB_EXIT_CODES.failed;
}

/** Runs `work` with a connection; prints `human(result)` or the result as JSON; errors become a message and an exit code. */
export function runDnc<T>(command: string, flags: DatabaseFlags, work: (db: Db) => Promise<T>, human: (result: T) => string): Promise<void> {
  return runWithExitCodes(command, flags, work, { human }, exitCodeOf);
}
