/**
 * The floor under `pnpm bench import` (BENCH_FLOOR=1): the least any implementation has to spend
 * on this machine for the same result, measured on the same file and the same database.
 *
 * - Matching: the library's batch path over the whole file on one core — hygiene, then
 *   `linkRecords` (blocking, comparisons, clustering), no database.
 * - Writing: the identity graph the stage just wrote, loaded again by plain `COPY … FROM STDIN` as
 *   the tables' owner into empty copies of its tables with their indexes: no row-level security,
 *   no conflict checks, no planning, no reads. The outbox is not in it (the relay has emptied it),
 *   so publishing one snapshot per golden record comes on top.
 *
 * A bulk loader that writes this graph can at best overlap the two on the two cores; if even that
 * is past the target, reaching it means writing or comparing less, not writing it faster.
 */
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable, Writable } from 'node:stream';
import { cleanPerson, linkRecords, PERSON_MATCH_MODEL, scorerOf, toMatchRecord } from '@stratum/matching';
import { generatedPersons } from '@stratum/matching/datasets';

/** The tables the person-import stage writes (the outbox excepted: see above). */
const GRAPH_TABLES = ['profiles', 'identifiers', 'profile_traits', 'profile_events', 'identity_edges', 'identity_audit', 'identity_reviews', 'person_records'] as const;

const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

export async function measureFloor(databaseUrl: string, file: string, targetSeconds: number): Promise<void> {
  let started = process.hrtime.bigint();
  const dataset = generatedPersons(file);
  const records = dataset.records.map((r) => toMatchRecord(cleanPerson(r, dataset.source).person));
  const hygiene = seconds(started);
  started = process.hrtime.bigint();
  const linked = linkRecords(records, scorerOf(PERSON_MATCH_MODEL));
  const matching = seconds(started);
  process.stdout.write(
    `floor, matching on one core: hygiene ${hygiene.toFixed(1)} s, linkRecords ${matching.toFixed(1)} s (${fmt(linked.decisions.length)} decisions above review, ${fmt(records.length)} records)\n`,
  );

  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  let writing = 0;
  try {
    for (const table of GRAPH_TABLES) {
      const chunks: Buffer[] = [];
      await pipeline(client.query(copyTo(`COPY (SELECT * FROM ${table}) TO STDOUT`)), new Writable({ write: (c: Buffer, _e, done) => (chunks.push(c), done()) }));
      const bytes = chunks.reduce((n, c) => n + c.length, 0);
      const copy = `floor_${table}`;
      // Not INCLUDING IDENTITY: COPY refuses values for a GENERATED ALWAYS column.
      await client.query(`CREATE TABLE ${copy} (LIKE ${table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)`);
      try {
        started = process.hrtime.bigint();
        await pipeline(Readable.from(chunks), client.query(copyFrom(`COPY ${copy} FROM STDIN`)));
        const took = seconds(started);
        writing += took;
        const rows = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${copy}`)).rows[0]!.n);
        process.stdout.write(`floor, COPY ${table}: ${fmt(rows)} rows, ${(bytes / 2 ** 20).toFixed(0)} MiB in ${took.toFixed(1)} s (${fmt(rows / took)} rows/s)\n`);
      } finally {
        await client.query(`DROP TABLE ${copy}`);
      }
    }
  } finally {
    await client.end();
  }
  const node = hygiene + matching;
  process.stdout.write(
    `floor: matching ${node.toFixed(1)} s of one core + writing ${writing.toFixed(1)} s of PostgreSQL = ${(node + writing).toFixed(1)} s in sequence, ` +
      `${Math.max(node, writing).toFixed(1)} s at best overlapped, matching on one core and PostgreSQL on the other (target ${targetSeconds} s)\n`,
  );
}
