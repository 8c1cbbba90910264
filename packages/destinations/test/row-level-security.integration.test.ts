/**
 * Row-level security on destinations, the second wall behind the store's own WHERE tenant_id:
 * raw SQL as the app role sees and changes only the scoped tenant's rows, and nothing unscoped.
 */
import { createDestination, listDestinations } from '../src';
import { keyring, rejection, useStoreDatabase } from './fixtures';

const store = useStoreDatabase();
const k1 = keyring('k1');
let a: string;
let b: string;
let bDestination: string;

beforeAll(async () => {
  const { db, tenant } = store.current();
  [a, b] = [await tenant(), await tenant()];
  await createDestination(db, k1, a, { name: 'a hook', type: 'webhook', credentials: { token: 'a' } });
  bDestination = (await createDestination(db, k1, b, { name: 'b hook', type: 'webhook', credentials: { token: 'b' } })).destinationId;
});

test('RLS is forced on the table, so even its owner needs a tenant to see rows', async () => {
  const { db } = store.current();
  expect(await db('pg_class').where({ relname: 'destinations' }).first('relrowsecurity', 'relforcerowsecurity')).toEqual({ relrowsecurity: true, relforcerowsecurity: true });
});

test("a raw SELECT as stratum_app scoped to one tenant returns none of another tenant's rows, even when it asks for them", async () => {
  const { asApp } = store.current();
  const asked = await asApp(a, (trx) => trx.raw<{ rows: unknown[] }>('SELECT * FROM destinations WHERE tenant_id = ?', [b]));
  expect(asked.rows).toEqual([]);
  const everything = await asApp(a, (trx) => trx.raw<{ rows: Array<{ tenant_id: string }> }>('SELECT tenant_id FROM destinations'));
  expect(everything.rows.map((r) => r.tenant_id)).toEqual([a]);
});

test('stratum_app without a tenant sees nothing', async () => {
  const { asApp } = store.current();
  expect((await asApp(null, (trx) => trx.raw<{ rows: unknown[] }>('SELECT * FROM destinations'))).rows).toEqual([]);
});

test("another tenant's row can be neither changed, written, nor deleted", async () => {
  const { asApp } = store.current();
  expect(await asApp(a, (trx) => trx('destinations').where({ destination_id: bDestination }).update({ enabled: false, disabled_at: trx.fn.now() }))).toBe(0);
  const insert = rejection(asApp(a, (trx) => trx('destinations').insert({ tenant_id: b, destination_id: 'dst_x', name: 'sneaky', type: 'webhook' })));
  expect(String(await insert)).toMatch(/row-level security/);
  expect(String(await rejection(asApp(b, (trx) => trx('destinations').where({ destination_id: bDestination }).delete())))).toMatch(/permission denied/);
});

test("the store's tenant-scoped reads give each tenant its own rows only", async () => {
  const { db } = store.current();
  expect((await listDestinations(db, a)).map((d) => [d.tenantId, d.name])).toEqual([[a, 'a hook']]);
  expect((await listDestinations(db, b)).map((d) => [d.tenantId, d.name])).toEqual([[b, 'b hook']]);
});
