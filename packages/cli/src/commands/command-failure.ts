/**
 * How the CLI's newer commands (dlq, dnc, import, trace) report a failure: the message on stderr,
 * with --json also `{"error":{"code","message",…details},"exitCode"}` on stdout, and the exit
 * code for scripts; and the one translation they all need first — a PostgreSQL connection failure
 * that a store passed on as the driver's own error is `database_unavailable` (exit 3), not a bug.
 */
import { dbErrors, isConnectionError } from '@stratum/db';
import { StratumError } from '@stratum/errors';

/** A connection failure reported as the driver's error, as database_unavailable; anything else as it is. */
export function asDatabaseUnavailable(err: unknown): unknown {
  if (!(err instanceof StratumError) && isConnectionError(err)) {
    return dbErrors.error('database_unavailable', `PostgreSQL is unreachable (${(err as Error).message})`, { cause: err });
  }
  return err;
}

/** Writes the failure of `stratum <command>` and sets the process's exit code. */
export function reportFailure(command: string, json: boolean | undefined, err: unknown, exitCode: number): void {
  const message = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: unknown } | null)?.code;
  const details = (err as { details?: Record<string, unknown> } | null)?.details ?? {};
  if (json) process.stdout.write(`${JSON.stringify({ error: { code: typeof code === 'string' ? code : 'failed', message, ...details }, exitCode }, null, 2)}\n`);
  process.stderr.write(`stratum ${command}: ${message}\n`);
  process.exitCode = exitCode;
}
