/** What the SMS state and opt-out tests share: a migrated database of their own and fresh tenants. */
import { createDb, migrateToLatest, withTenant, type Db } from '@stratum/db';
import { uniqueIdentifier, useTestPostgres, type TestDatabase } from '@stratum/testing';
import type { Knex } from 'knex';

export interface DeliveryDatabase {
  readonly db: Db;
  /** A new tenant row (tenants has no RLS), with a unique id. */
  tenant(): Promise<string>;
  /** `work` in a transaction scoped to `tenantId`, as the store's callers run it. */
  scoped<T>(tenantId: string, work: (trx: Knex.Transaction) => Promise<T>): Promise<T>;
}

/** A migrated database for this test file, dropped after it. Read `current()` inside tests and hooks. */
export function useDeliveryDatabase(): { current(): DeliveryDatabase } {
  const postgres = useTestPostgres();
  let database: TestDatabase | undefined;
  let value: DeliveryDatabase | undefined;
  beforeAll(async () => {
    database = await postgres.newDatabase();
    const db = createDb(database.url);
    await migrateToLatest(db);
    value = {
      db,
      tenant: async () => {
        const id = uniqueIdentifier('ten');
        await db('tenants').insert({ id, name: id });
        return id;
      },
      scoped: (tenantId, work) => withTenant(db, tenantId, work),
    };
  }, 60_000);
  afterAll(async () => {
    await value?.db.destroy();
    await database?.drop();
  });
  return {
    current: () => {
      if (value === undefined) throw new Error('useDeliveryDatabase(): read it inside a test or hook');
      return value;
    },
  };
}
