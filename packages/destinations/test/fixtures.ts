/** What the store's integration tests share: a migrated database of their own, tenants, keys. */
import { randomBytes } from 'node:crypto';
import { createDb, migrateToLatest, type Db } from '@stratum/db';
import { useTestPostgres, uniqueIdentifier, type TestDatabase } from '@stratum/testing';
import type { Knex } from 'knex';
import { createCredentialKeyring, type CredentialKeyring } from '../src';

/** Fresh 32-byte keys per test file. */
export const KEYS = { k1: randomBytes(32).toString('base64'), k2: randomBytes(32).toString('base64') } as const;

export function keyring(activeKeyId: keyof typeof KEYS, ...others: Array<keyof typeof KEYS>): CredentialKeyring {
  return createCredentialKeyring({ activeKeyId, keys: Object.fromEntries([activeKeyId, ...others].map((id) => [id, KEYS[id]])) });
}

export interface StoreDatabase {
  readonly db: Db;
  /** A new tenant row (tenants has no RLS), with a unique id and name. */
  tenant(): Promise<string>;
  /** Runs `work` as the app role scoped to `tenantId` (or to no tenant), as raw SQL would see the table. */
  asApp<T>(tenantId: string | null, work: (trx: Knex.Transaction) => Promise<T>): Promise<T>;
}

/** A migrated database for this test file, dropped after it. Read `current()` inside tests and hooks. */
export function useStoreDatabase(): { current(): StoreDatabase } {
  const postgres = useTestPostgres();
  let database: TestDatabase | undefined;
  let value: StoreDatabase | undefined;
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
      asApp: (tenantId, work) =>
        db.transaction(async (trx) => {
          await trx.raw('SET LOCAL ROLE stratum_app');
          if (tenantId !== null) await trx.raw("SELECT set_config('stratum.tenant_id', ?, true)", [tenantId]);
          return work(trx);
        }),
    };
  }, 60_000);
  afterAll(async () => {
    await value?.db.destroy();
    await database?.drop();
  });
  return {
    current: () => {
      if (value === undefined) throw new Error('useStoreDatabase(): read it inside a test or hook');
      return value;
    },
  };
}

/** The error `promise` rejects with. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (err: unknown) => err,
  );
}
