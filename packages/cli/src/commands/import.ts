/**
 * `stratum import <file>`: loads a person file (CSV or NDJSON, or - for standard input) into
 * persons.import for identity resolution, with hygiene per row, a reject file and a JSON report;
 * idempotent by the file's SHA-256 and row numbers (docs/import.md).
 * `stratum import generate`: a synthetic person file with known duplicates (src/import/generate).
 */
import { resolve } from 'node:path';
import { Command, InvalidArgumentError, type CommanderError } from 'commander';
import { createDb, dbErrors, type Db } from '@stratum/db';
import type { DateOrder } from '@stratum/matching';
import { findTenant, listSources, tenancyErrors } from '@stratum/tenancy';
import { brokerList, duration, positive } from '../flags';
import { importErrors } from '../import/errors';
import { mapFlag } from '../import/fields';
import { generateCommand } from '../import/generate/command';
import { kafkaPersonSender } from '../import/produce';
import { openInputFile, type FileFormat, type InputFile } from '../import/read';
import { resolutionProgress } from '../import/report';
import { waitForResolution, type ResolutionCounts } from '../import/resolution';
import { runImport } from '../import/run';
import { asDatabaseUnavailable, reportFailure } from './command-failure';
import { DB_EXIT_CODES } from './database-command';
import { RUNNING_PLATFORM_HINT, defaultBrokers, defaultDatabaseUrl, defaultRegistryUrl } from '../running-platform';

const TOPIC = 'persons.import';

export const IMPORT_EXIT_HELP = `
Exit codes:
  0  done (also when rows were rejected: the report counts them), or already imported (the previous report is printed)
  1  failed part-way (running the same command again resumes after the last acknowledged row)
  2  usage error: a flag, the file, Kafka or the registry missing; nothing produced
  3  PostgreSQL, Kafka or the schema registry unreachable
  4  the tenant or source does not exist
  5  produced, but identity resolution resolved no row for --wait-timeout (is identity-resolution running?);
     the report counts what was resolved; the same command again waits for the rest`;

/** Exit code when every row was produced but resolution stalled before all were resolved. */
const EXIT_UNRESOLVED = 5;

interface ImportFlags {
  tenant?: string;
  source?: string;
  map?: Record<string, string>;
  region?: string;
  dateOrder?: DateOrder;
  format?: FileFormat;
  rejectFile?: string;
  brokers?: string[];
  registryUrl?: string;
  databaseUrl?: string;
  topic: string;
  batchSize: number;
  json?: boolean;
  dryRun?: boolean;
  force?: boolean;
  progress?: boolean;
  wait?: boolean;
  waitTimeout: number;
}

function region(value: string): string {
  if (!/^[A-Za-z]{2}$/.test(value)) throw new InvalidArgumentError(`must be an ISO 3166-1 alpha-2 code such as AU or US, got "${value}"`);
  return value.toUpperCase();
}

function dateOrder(value: string): DateOrder {
  if (!['dmy', 'mdy', 'ymd'].includes(value)) throw new InvalidArgumentError(`must be dmy, mdy or ymd, got "${value}"`);
  return value as DateOrder;
}

function format(value: string): FileFormat {
  if (value !== 'csv' && value !== 'ndjson') throw new InvalidArgumentError(`must be csv or ndjson, got "${value}"`);
  return value;
}

function exitCodeOf(err: unknown): number {
  if (tenancyErrors.is(err, 'not_found')) return DB_EXIT_CODES.notFound;
  if (importErrors.is(err, 'usage') || tenancyErrors.is(err, 'invalid_input')) return DB_EXIT_CODES.usage;
  if (importErrors.is(err, 'kafka_unavailable') || tenancyErrors.is(err, 'tenancy_unavailable') || dbErrors.is(err, 'database_unavailable')) return DB_EXIT_CODES.unreachable;
  return DB_EXIT_CODES.failed;
}

/** The source's id and its default phone region (what ingest uses for national numbers from it). */
async function findSource(db: Db, tenant: string, idOrName: string): Promise<{ sourceId: string; defaultPhoneRegion: string | null }> {
  const sources = await listSources(db, tenant);
  const found = sources.find((s) => s.sourceId === idOrName) ?? sources.find((s) => s.sourceName.toLowerCase() === idOrName.toLowerCase());
  if (!found) throw tenancyErrors.error('not_found', `tenant "${tenant}" has no source with id or name "${idOrName}"`);
  return { sourceId: found.sourceId, defaultPhoneRegion: found.defaultPhoneRegion };
}

async function importFile(fileName: string, flags: ImportFlags): Promise<void> {
  const fail = (err: unknown) => reportFailure('import', flags.json, err, exitCodeOf(err));
  // Checked here, not by commander: required options of `import` would also be demanded of `import generate`.
  if (!flags.tenant || !flags.source) return fail(importErrors.error('usage', 'import needs --tenant <id|name> and --source <id|name>'));
  const url = flags.databaseUrl ?? defaultDatabaseUrl();
  if (!url) return fail(importErrors.error('usage', `no database: pass --database-url postgres://…, set DATABASE_URL, ${RUNNING_PLATFORM_HINT}`));
  const fromEnv = defaultBrokers();
  const brokers = flags.brokers ?? (fromEnv ? brokerList(fromEnv) : undefined);
  const registryUrl = flags.registryUrl ?? defaultRegistryUrl();
  if (!flags.dryRun && !brokers) return fail(importErrors.error('usage', `import needs Kafka: pass --brokers host:port, set KAFKA_BROKERS, ${RUNNING_PLATFORM_HINT}`));
  if (!flags.dryRun && !registryUrl) return fail(importErrors.error('usage', `import needs the schema registry: pass --registry-url http://…, set SCHEMA_REGISTRY_URL, ${RUNNING_PLATFORM_HINT}`));
  let file: InputFile;
  try {
    file = await openInputFile(fileName, flags.format ? { format: flags.format } : {});
  } catch (err) {
    return fail(importErrors.error('usage', `cannot read ${fileName}: ${(err as Error).message}`, { cause: err }));
  }
  let db: Db;
  try {
    db = createDb(url, { maxConnections: 2, applicationName: 'stratum import' });
  } catch (err) {
    await file.dispose();
    return fail(importErrors.error('usage', `invalid database URL: ${(err as Error).message}`));
  }
  try {
    const { tenantId } = await findTenant(db, flags.tenant);
    const { sourceId, defaultPhoneRegion } = await findSource(db, tenantId, flags.source);
    // Without --region, the source's own phone region, so a file reads national numbers as live events from it do.
    const phoneRegion = flags.region ?? defaultPhoneRegion;
    const defaultReject = fileName === '-' ? null : `${fileName}.rejected.csv`;
    const report = await runImport({
      db,
      file,
      tenantId,
      sourceId,
      map: flags.map ?? {},
      region: phoneRegion,
      dateOrder: flags.dateOrder ?? (phoneRegion === 'US' ? 'mdy' : 'dmy'),
      rejectPath: flags.rejectFile ? resolve(flags.rejectFile) : defaultReject && resolve(defaultReject),
      topic: flags.topic,
      dryRun: flags.dryRun === true,
      force: flags.force === true,
      batchSize: flags.batchSize,
      showProgress: flags.progress !== false && process.stderr.isTTY === true,
      openSender: () => kafkaPersonSender({ brokers: brokers!, registryUrl: registryUrl!, topic: flags.topic }),
    });
    if (report.alreadyImported) process.stderr.write(`stratum import: ${file.name} (importId ${report.importId}) was already imported; nothing produced (--force produces it again)\n`);
    let resolution: ({ complete: boolean } & ResolutionCounts) | null = null;
    if (flags.wait !== false && !report.dryRun) {
      const bar = resolutionProgress(report.accepted, flags.progress !== false && process.stderr.isTTY === true);
      const waited = await waitForResolution(db, tenantId, report.importId, report.accepted, { stallMs: flags.waitTimeout * 1000, onProgress: (resolved) => bar.update(resolved) });
      bar.end();
      resolution = { complete: waited.complete, ...waited.counts };
      if (!waited.complete) {
        process.stderr.write(
          `stratum import: every row was produced, but ${report.accepted - waited.counts.resolved} of ${report.accepted} are not resolved yet and none was for ${flags.waitTimeout} s; is identity-resolution running? Run the same command again to wait for the rest\n`,
        );
        process.exitCode = EXIT_UNRESOLVED;
      }
    }
    // matched / newProfiles: rows put on an existing person, and rows that started a profile (null without waiting).
    process.stdout.write(`${JSON.stringify({ ...report, matched: resolution?.matched ?? null, newProfiles: resolution?.newProfiles ?? null, resolution }, null, 2)}\n`);
  } catch (err) {
    fail(asDatabaseUnavailable(err));
  } finally {
    await file.dispose();
    await db.destroy();
  }
}

/** Builds the `import` command (and `import generate`). */
export function importCommand(): Command {
  return new Command('import')
    .description('load a person file (CSV with a header, NDJSON, or - for stdin) into persons.import for identity resolution; prints a JSON report (docs/import.md)')
    .argument('<file>', 'file.csv, file.ndjson, or - for standard input')
    .option('--tenant <id|name>', 'the tenant (required)')
    .option('--source <id|name>', "one of the tenant's sources: where the records come from (required)")
    .option('--map <column=field>', 'read column as field (repeatable), e.g. --map surname=familyName --map soc_sec_id=nationalId; field "ignore" drops a column', mapFlag)
    .option('--region <CC>', "ISO country for national phone numbers and postcodes, e.g. AU (default: the source's phone region; a country column in the row wins)", region)
    .option('--date-order <order>', 'order of separated dates like 03/04/1990: dmy, mdy or ymd (default mdy for --region US, else dmy)', dateOrder)
    .option('--format <format>', 'csv or ndjson (default: by extension; stdin: csv)', format)
    .option('--reject-file <path>', 'where rejected rows go, CSV line,reason,original (default: <file>.rejected.csv; none for stdin)')
    .option('--brokers <list>', 'Kafka bootstrap servers, host:port[,host:port...] (default: $KAFKA_BROKERS, else the running pnpm start)', brokerList)
    .option('--registry-url <url>', 'the schema registry (default: $SCHEMA_REGISTRY_URL, else the running pnpm start)')
    .option('--database-url <url>', 'PostgreSQL URL (default: $DATABASE_URL, else the running pnpm start)')
    .option('--topic <name>', 'the topic to produce to', TOPIC)
    .option('--batch-size <n>', 'records per produce request', positive, 1000)
    .option('--dry-run', 'read, clean and count; produce and record nothing')
    .option('--force', 'produce a file that was already imported again (consumers skip rows they have, by importId + rowNumber)')
    .option('--no-progress', 'no progress line on stderr')
    .option('--wait', 'after producing, wait until identity resolution resolved every row and report matched rows and new profiles (the default)')
    .option('--no-wait', 'return once every row is produced, without waiting for identity resolution (the report then has no matched / new-profile counts)')
    .option('--wait-timeout <duration>', 'stop waiting when identity resolution resolved no row for this long, e.g. 60s, 5m (exit 5)', duration, 60)
    .option('--json', 'errors as JSON on stdout too ({"error":{code,message},"exitCode"}); the report is always JSON')
    .addHelpText('after', IMPORT_EXIT_HELP)
    .exitOverride((err: CommanderError) => process.exit(err.exitCode === 0 ? 0 : DB_EXIT_CODES.usage))
    .addCommand(generateCommand())
    .action((file: string, flags: ImportFlags) => importFile(file, flags));
}
