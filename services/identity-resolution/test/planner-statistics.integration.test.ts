/**
 * The import stage's ANALYZE schedule against a real PostgreSQL: first at `firstAt` records, then
 * each time the tenant's records grew by `factor`, one at a time, per tenant.
 */
import { createDb, type Db } from '@stratum/db';
import { closedPort } from '@stratum/testing';
import { statisticsRefresher } from '../src/import/planner-statistics';
import { useMigratedDatabase } from '@stratum/db/testing';

const migrated = useMigratedDatabase();
let db: Db;
beforeAll(() => ({ db } = migrated));

const analyseCount = async () => Number((await db.raw<{ rows: Array<{ n: string }> }>("SELECT analyze_count AS n FROM pg_stat_user_tables WHERE relname = 'identifiers'")).rows[0]!.n);

test('analyses at firstAt, then after each doubling of a tenant, not in between', async () => {
  const refresher = statisticsRefresher(db, { firstAt: 100, factor: 2 });
  const counts: number[] = [];
  for (const records of [50, 100, 150, 199, 200, 350, 400]) {
    refresher.grown('ten_a', records);
    await refresher.idle();
    counts.push(await analyseCount());
  }
  const start = counts[0]!;
  // 50: too few; 100: first; 150, 199: under 2 × 100; 200: second; 350: under 400; 400: third.
  expect(counts.map((n) => n - start)).toEqual([0, 1, 1, 1, 2, 2, 3]);
  // Another tenant has its own schedule.
  refresher.grown('ten_b', 100);
  await refresher.idle();
  expect((await analyseCount()) - start).toBe(4);
});

test('a failing ANALYZE goes to onError instead of failing the stage', async () => {
  const errors: unknown[] = [];
  const broken = createDb(`postgres://postgres@127.0.0.1:${await closedPort()}/none`, { maxConnections: 1 });
  const refresher = statisticsRefresher(broken, { firstAt: 1, onError: (err) => errors.push(err) });
  refresher.grown('ten_a', 5);
  await refresher.idle();
  expect(errors).toHaveLength(1);
  await broken.destroy();
});
