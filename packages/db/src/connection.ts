/**
 * The knex instance every service and the CLI use for PostgreSQL. One pool per process; knex
 * is the query builder and the migration runner, `pg` the driver underneath.
 */
import knex, { type Knex } from 'knex';

export type Db = Knex;

export interface CreateDbOptions {
  /** Pool size (default 10). A stage's batched statements rarely need more than a few. */
  maxConnections?: number;
  /** Reported as application_name in pg_stat_activity, so operators see who holds connections. */
  applicationName?: string;
  /** Where knex's own warnings go (pool acquire failures...). Default: nowhere — the same failures reach the caller as errors. */
  onWarning?: (message: string) => void;
}

export function createDb(url: string, options: CreateDbOptions = {}): Db {
  return knex({
    client: 'pg',
    connection: { connectionString: url, application_name: options.applicationName ?? 'stratum' },
    // min 0: an idle service holds no connections; acquire fails fast so a dead database surfaces as an error, not a hang.
    pool: { min: 0, max: options.maxConnections ?? 10 },
    acquireConnectionTimeout: 10_000,
    log: {
      warn: (m: unknown) => options.onWarning?.(String(m)),
      error: (m: unknown) => options.onWarning?.(String(m)),
      deprecate: () => undefined,
      debug: () => undefined,
    },
  });
}

/** True when `err` means PostgreSQL is unreachable or going away (retry later), not a bad query. */
export function isConnectionError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EPIPE', 'EHOSTUNREACH'].includes(code)) return true;
    // 08xxx connection exceptions, 57P01-03 admin shutdown / crash shutdown / cannot connect now, 53300 too many connections.
    if (code.startsWith('08') || ['57P01', '57P02', '57P03', '53300'].includes(code)) return true;
  }
  const name = (err as { name?: unknown } | null)?.name;
  if (name === 'KnexTimeoutError') return true;
  const message = err instanceof Error ? err.message : '';
  return /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect/i.test(message);
}
