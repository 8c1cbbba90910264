/**
 * PostgreSQL from DATABASE_URL: the run's own DATABASE_URL, else the local server at
 * 127.0.0.1:5432 when one answers, else (a machine with neither) an embedded server standing in.
 */
import pg from 'pg';
import { closedPort, startTestPostgres, type TestPostgres } from '../src';
import { databaseExists, expectIsolatedDatabases } from './postgres-assertions';

const LOCAL = 'postgres://postgres@127.0.0.1:5432/test';

let server: { url: string; stop(): Promise<void> };
let postgres: TestPostgres;
beforeAll(async () => {
  const candidate = process.env['DATABASE_URL'] ?? LOCAL;
  server = (await answers(candidate)) ? { url: candidate, stop: async () => {} } : await startTestPostgres({ env: {} });
  postgres = await startTestPostgres({ env: { DATABASE_URL: server.url } });
});
afterAll(async () => {
  await postgres?.stop();
  await server?.stop();
});

test('uses the server DATABASE_URL names and starts nothing', () => {
  expect(postgres.source).toBe('database-url');
  expect(postgres.url).toBe(server.url);
  expect(postgres.pid).toBeNull();
});

test('newDatabase isolates tables and drop removes the database', async () => {
  await expectIsolatedDatabases(postgres);
});

test('stop drops the databases left over and leaves the server running', async () => {
  const other = await startTestPostgres({ env: { DATABASE_URL: server.url } });
  const left = await other.newDatabase();
  await other.stop();
  expect(await databaseExists(postgres.pool, left.name)).toBe(false);
  expect(await answers(server.url)).toBe(true);
});

test('a DATABASE_URL nobody answers fails naming it, without its password', async () => {
  const port = await closedPort();
  await expect(startTestPostgres({ env: { DATABASE_URL: `postgres://app:s3cret@127.0.0.1:${port}/db` } })).rejects.toMatchObject({
    code: 'unreachable',
    message: expect.stringMatching(new RegExp(`^cannot connect to PostgreSQL at postgres://app:\\*\\*\\*@127\\.0\\.0\\.1:${port}/db \\(DATABASE_URL\\): .*ECONNREFUSED`)),
  });
});

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
