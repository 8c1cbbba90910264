/**
 * What a service's main.ts does before using PostgreSQL: connect, and refuse to start (exit 78,
 * with the pending migrations named) on a database this code's migrations have not reached —
 * tables a query expects would be missing, and a crash loop would hide why.
 */
import { createDb, type CreateDbOptions, type Db } from './connection';
import { migrationStatus } from './migrate';

export async function openMigratedDbOrExit(url: string, options: CreateDbOptions = {}): Promise<Db> {
  const db = createDb(url, options);
  const { pending } = await migrationStatus(db);
  if (pending.length === 0) return db;
  process.stderr.write(`the database has ${pending.length} pending migration(s) (${pending.join(', ')}); run \`pnpm stratum db migrate\` first\n`);
  await db.destroy();
  process.exit(78); // EX_CONFIG
}
