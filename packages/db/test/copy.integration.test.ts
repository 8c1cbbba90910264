/**
 * writeThroughStage inside tenant-scoped transactions against a real PostgreSQL, both ways (COPY
 * through a temp table, and the JSON parameter of small batches): values that need escaping
 * round-trip unchanged, row-level security still applies to the rows moved on, a
 * duplicate key fails the transaction, and a stage moves rows with ON CONFLICT / RETURNING, is
 * empty after each use and rolls back with the transaction.
 */
import type { Knex } from 'knex';
import { writeThroughStage, withTenant, type CopyColumn, type CopyValue, type Db } from '../src';
import { useMigratedDatabase } from '../src/testing';

const migrated = useMigratedDatabase();
let db: Db;
beforeAll(() => ({ db } = migrated));

const TRAIT_COLUMNS: CopyColumn[] = [
  ['tenant_id', 'text'],
  ['profile_id', 'text'],
  ['name', 'text'],
  ['value', 'jsonb'],
  ['event_ts', 'timestamptz'],
  ['first_ts', 'timestamptz'],
  ['source_id', 'text'],
  ['stale', 'boolean'],
];
const AT = '2026-11-24T09:00:00.000Z';


describe.each([
  ['COPY through a temp table', 0, 'copy'],
  ['one JSON parameter', Number.POSITIVE_INFINITY, 'json'],
])('%s', (_way, copyFromRows, suffix) => {
  const options = { copyFromRows };
  const ten = (name: string) => `${name}_${suffix}`;
  /** Straight into a table, through a stage of the same columns. */
  async function copyInto(trx: Knex.Transaction, table: string, columns: readonly CopyColumn[], rows: ReadonlyArray<readonly CopyValue[]>): Promise<number> {
    const names = columns.map(([c]) => c).join(', ');
    const { rowCount } = await writeThroughStage(trx, `stage_test_${table}`, columns, rows, `INSERT INTO ${table} (${names}) SELECT ${names} FROM staged`, [], options);
    return rowCount;
  }

  test('awkward values round-trip: tabs, newlines, backslashes, quotes, unicode, null, JSON, booleans', async () => {
    const tricky = 'tab\there\nnew line\r\\ back "quoted" \\N é 🙂';
    const values = [tricky, { nested: [tricky, null, 1.5, true] }, null, 'plain', ['a', 'b\\"c']];
    const copied = await withTenant(db, ten('ten_a'), (trx) =>
      copyInto(
        trx,
        'profile_traits',
        TRAIT_COLUMNS,
        values.map((v, i) => [ten('ten_a'), 'prf_1', `t${i}`, v, AT, AT, i === 2 ? null : `src\t${i}`, i % 2 === 0]),
      ),
    );
    expect(copied).toBe(values.length);
    const rows = await withTenant(db, ten('ten_a'), async (trx) => (await trx.raw<{ rows: Array<{ name: string; value: unknown; source_id: string | null; stale: boolean; event_ts: Date }> }>('SELECT name, value, source_id, stale, event_ts FROM profile_traits ORDER BY name')).rows);
    expect(rows.map((r) => r.value)).toEqual(values);
    expect(rows.map((r) => r.source_id)).toEqual(['src\t0', 'src\t1', null, 'src\t3', 'src\t4']);
    expect(rows.map((r) => r.stale)).toEqual([true, false, true, false, true]);
    expect(rows[0]!.event_ts.toISOString()).toBe(AT);
  });

  test('arrays are PostgreSQL array literals, elements quoted and escaped', async () => {
    const keys = ['email:default:a"b', 'phone:default:c\\d', 'x,y', '{}', 'with space'];
    await withTenant(db, ten('ten_a'), (trx) =>
      copyInto(
        trx,
        'identity_reviews',
        [
          ['tenant_id', 'text'],
          ['id', 'text'],
          ['identifier_key', 'text'],
          ['candidate_profile_ids', 'text[]'],
          ['reason', 'text'],
        ],
        [[ten('ten_a'), 'rev_1', 'k', keys, 'fuzzy_match']],
      ),
    );
    const [row] = await withTenant(db, ten('ten_a'), async (trx) => (await trx.raw<{ rows: Array<{ candidate_profile_ids: string[] }> }>("SELECT candidate_profile_ids FROM identity_reviews WHERE id = 'rev_1'")).rows);
    expect(row!.candidate_profile_ids).toEqual(keys);
  });

  test("row-level security holds: a row of another tenant is refused, and every row with it", async () => {
    await expect(
      withTenant(db, ten('ten_b'), (trx) =>
        copyInto(trx, 'profile_traits', TRAIT_COLUMNS, [
          [ten('ten_b'), 'prf_2', 'ok', 1, AT, AT, null, false],
          [ten('ten_a'), 'prf_2', 'sneaky', 1, AT, AT, null, false],
        ]),
      ),
    ).rejects.toMatchObject({ code: '42501' });
    const n = await withTenant(db, ten('ten_b'), async (trx) => (await trx.raw<{ rows: Array<{ n: string }> }>('SELECT count(*) AS n FROM profile_traits')).rows[0]!.n);
    expect(Number(n)).toBe(0);
  });

  test('a duplicate key fails the statement unless the move says ON CONFLICT', async () => {
    await expect(withTenant(db, ten('ten_a'), (trx) => copyInto(trx, 'profile_traits', TRAIT_COLUMNS, [[ten('ten_a'), 'prf_1', 't0', 1, AT, AT, null, false]]))).rejects.toMatchObject({
      code: '23505',
    });
  });

  test('a stage moves rows on with ON CONFLICT and RETURNING, is empty after each use, and rolls back with the transaction', async () => {
    const stageColumns: CopyColumn[] = [
      ['profile_id', 'text'],
      ['name', 'text'],
      ['value', 'jsonb'],
    ];
    const move = () =>
      `INSERT INTO profile_traits (tenant_id, profile_id, name, value, event_ts, first_ts)
       SELECT ?, s.profile_id, s.name, s.value, now(), now() FROM staged s ORDER BY s.profile_id, s.name
       ON CONFLICT DO NOTHING RETURNING name`;
    const names = await withTenant(db, ten('ten_c'), async (trx) => {
      const first = await writeThroughStage<{ name: string }>(trx, 'stage_test_traits', stageColumns, [['prf_9', 'a', 1], ['prf_9', 'b', { x: 'y' }]], move(), [ten('ten_c')], options);
      // The stage was emptied: the second use moves only its own rows, one of them already there.
      const second = await writeThroughStage<{ name: string }>(trx, 'stage_test_traits', stageColumns, [['prf_9', 'b', 2], ['prf_9', 'c', 3]], move(), [ten('ten_c')], options);
      return [first.rows.map((r) => r.name), second.rows.map((r) => r.name)];
    });
    expect(names).toEqual([['a', 'b'], ['c']]);

    await expect(
      withTenant(db, ten('ten_c'), async (trx) => {
        await writeThroughStage(trx, 'stage_test_traits', stageColumns, [['prf_9', 'd', 4]], move(), [ten('ten_c')], options);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    const stored = await withTenant(db, ten('ten_c'), async (trx) => (await trx.raw<{ rows: Array<{ name: string; value: unknown }> }>('SELECT name, value FROM profile_traits ORDER BY name')).rows);
    expect(stored).toEqual([
      { name: 'a', value: 1 },
      { name: 'b', value: { x: 'y' } },
      { name: 'c', value: 3 },
    ]);
  });
});
