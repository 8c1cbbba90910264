/** `stratum db migrate [--status]`: bring PostgreSQL to this code's schema (knex, @stratum/db). */
import { Command } from 'commander';
import { migrateToLatest, migrationStatus } from '@stratum/db';
import { databaseCommand, runWithDatabase, type DatabaseFlags } from './database-command';

export function dbCommand(): Command {
  const migrate = databaseCommand('migrate', 'apply every pending migration, in order (idempotent; safe to run from several processes at once)')
    .option('--status', 'change nothing; list applied and pending migrations')
    .action((flags: DatabaseFlags & { status?: boolean }) =>
      runWithDatabase(
        'db migrate',
        flags,
        async (db) => {
          if (flags.status) return { ...(await migrationStatus(db)), appliedNow: [] as string[] };
          const appliedNow = await migrateToLatest(db);
          return { ...(await migrationStatus(db)), appliedNow };
        },
        (r) =>
          flags.status
            ? [...r.applied.map((m) => `applied  ${m}\n`), ...r.pending.map((m) => `pending  ${m}\n`), `${r.applied.length} applied, ${r.pending.length} pending\n`].join('')
            : `${r.appliedNow.map((m) => `applied  ${m}\n`).join('')}${r.appliedNow.length === 0 ? 'database is up to date' : `${r.appliedNow.length} migrations applied`} (${r.applied.length} in all)\n`,
      ),
    );
  return new Command('db').description('the PostgreSQL schema (one migration history for every service)').addCommand(migrate);
}
