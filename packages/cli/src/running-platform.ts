/**
 * Where a command finds PostgreSQL, Kafka and the schema registry when no flag names them: the
 * variables the services read (DATABASE_URL, KAFKA_BROKERS, SCHEMA_REGISTRY_URL), else the
 * `stratum start` running from this directory. Once up, `stratum start` writes what it runs to
 * <data-dir>/platform.json and removes it when it stops; a file whose process is gone (killed) is
 * ignored. So `pnpm start` in one terminal and `pnpm stratum import …` in another need no flags.
 * STRATUM_DATA_DIR names another data dir than ./data (as `pnpm start --data-dir` does).
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface RunningPlatform {
  readonly pid: number;
  /** Kafka bootstrap servers, host:port. */
  readonly brokers: readonly string[];
  readonly registryUrl: string;
  /** Null with --no-services (no PostgreSQL is started). */
  readonly databaseUrl: string | null;
}

/** How the usage errors end: what else would have supplied a missing setting. */
export const RUNNING_PLATFORM_HINT = 'or run `pnpm start` from this directory';

const FILE = 'platform.json';

/** Records what `stratum start` runs; the returned function removes it (on stop). */
export function recordRunningPlatform(dataDir: string, platform: Omit<RunningPlatform, 'pid'>): () => void {
  const file = join(dataDir, FILE);
  // The database URL carries its password: a local dev file, readable by its owner only (as demo-tenant.json).
  writeFileSync(file, `${JSON.stringify({ pid: process.pid, ...platform }, null, 2)}\n`, { mode: 0o600 });
  return () => rmSync(file, { force: true });
}

/** The platform `stratum start` runs from `dataDir` (default $STRATUM_DATA_DIR, else ./data), or null. */
export function runningPlatform(dataDir = process.env.STRATUM_DATA_DIR?.trim() || './data'): RunningPlatform | null {
  let platform: RunningPlatform;
  try {
    platform = JSON.parse(readFileSync(join(resolve(dataDir), FILE), 'utf8')) as RunningPlatform;
  } catch {
    return null;
  }
  return Number.isInteger(platform.pid) && isAlive(platform.pid) ? platform : null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, as another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** DATABASE_URL, else the running platform's PostgreSQL. */
export function defaultDatabaseUrl(): string | undefined {
  return process.env.DATABASE_URL?.trim() || runningPlatform()?.databaseUrl || undefined;
}

/** KAFKA_BROKERS as written (host:port[,host:port…]), else the running platform's broker. */
export function defaultBrokers(): string | undefined {
  return process.env.KAFKA_BROKERS?.trim() || runningPlatform()?.brokers.join(',') || undefined;
}

/** SCHEMA_REGISTRY_URL, else the running platform's registry. */
export function defaultRegistryUrl(): string | undefined {
  return process.env.SCHEMA_REGISTRY_URL?.trim() || runningPlatform()?.registryUrl || undefined;
}
