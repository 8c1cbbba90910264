/**
 * `stratum trace <messageId> --tenant …`: the lineage of one event, from the topics' last --since
 * (default 24 h) and PostgreSQL. Reads only; writes nothing to Kafka or PostgreSQL. The logic is in
 * ../trace (docs/trace.md); this file has the flags, the environment defaults and exit codes.
 */
import { Command, type CommanderError } from 'commander';
import { createDb, dbErrors, type Db } from '@stratum/db';
import { tenancyErrors } from '@stratum/tenancy';
import { brokerList } from '../flags';
import { RUNNING_PLATFORM_HINT, defaultBrokers, defaultDatabaseUrl, defaultRegistryUrl } from '../running-platform';
import { traceErrors } from '../trace/errors';
import { renderText } from '../trace/render-text';
import { runTrace } from '../trace/run-trace';
import { asDatabaseUnavailable, reportFailure } from './command-failure';
import { DB_EXIT_CODES } from './database-command';
import { pointInTime } from './dlq-filter-flags';

const DEFAULT_SINCE_MS = 24 * 3_600_000;

const TRACE_EXIT_HELP = `
Exit codes:
  0  found (the timeline says how far the event got)
  1  failed (the message says why)
  2  usage error (no database, Kafka or schema registry given)
  3  PostgreSQL, Kafka or the schema registry unreachable
  4  not found: the tenant does not exist, or the messageId is on no topic since --since and in no table`;

interface TraceFlags {
  tenant: string;
  since?: Date;
  databaseUrl?: string;
  brokers?: string[];
  registryUrl?: string;
  topicPrefix?: string;
  verbose?: boolean;
  json?: boolean;
}

function exitCodeOf(err: unknown): number {
  if (traceErrors.is(err, 'not_found') || tenancyErrors.is(err, 'not_found')) return DB_EXIT_CODES.notFound;
  if (traceErrors.is(err, 'usage') || tenancyErrors.is(err, 'invalid_input')) return DB_EXIT_CODES.usage;
  if (traceErrors.is(err, 'kafka_unavailable') || tenancyErrors.is(err, 'tenancy_unavailable') || dbErrors.is(err, 'database_unavailable')) return DB_EXIT_CODES.unreachable;
  return DB_EXIT_CODES.failed;
}

/** Flags first, then the variables services read (KAFKA_BROKERS, SCHEMA_REGISTRY_URL, DATABASE_URL), then the running `stratum start`. */
function settingsOf(flags: TraceFlags): { databaseUrl: string; brokers: string[]; registryUrl: string } {
  const databaseUrl = flags.databaseUrl ?? defaultDatabaseUrl();
  let brokers = flags.brokers;
  const fromEnv = defaultBrokers();
  try {
    brokers ??= fromEnv ? brokerList(fromEnv) : undefined;
  } catch (err) {
    throw traceErrors.error('usage', `Kafka brokers: ${(err as Error).message}`);
  }
  const registryUrl = flags.registryUrl ?? defaultRegistryUrl();
  if (!databaseUrl) throw traceErrors.error('usage', `no database: pass --database-url postgres://…, set DATABASE_URL, ${RUNNING_PLATFORM_HINT}`);
  if (!brokers) throw traceErrors.error('usage', `trace reads the topics: pass --brokers host:port, set KAFKA_BROKERS, ${RUNNING_PLATFORM_HINT}`);
  if (!registryUrl) throw traceErrors.error('usage', `trace decodes with the schema registry: pass --registry-url http://…, set SCHEMA_REGISTRY_URL, ${RUNNING_PLATFORM_HINT}`);
  return { databaseUrl, brokers, registryUrl };
}

async function trace(messageId: string, flags: TraceFlags): Promise<void> {
  const fail = (raw: unknown) => {
    const err = asDatabaseUnavailable(raw);
    reportFailure('trace', flags.json, err, exitCodeOf(err));
  };
  let settings: ReturnType<typeof settingsOf>;
  let db: Db;
  try {
    settings = settingsOf(flags);
    db = createDb(settings.databaseUrl, { maxConnections: 2, applicationName: 'stratum trace' });
  } catch (err) {
    return fail(traceErrors.is(err) ? err : traceErrors.error('usage', `invalid database URL: ${(err as Error).message}`));
  }
  try {
    const result = await runTrace(db, {
      messageId,
      tenant: flags.tenant,
      since: flags.since ?? new Date(Date.now() - DEFAULT_SINCE_MS),
      brokers: settings.brokers,
      registryUrl: settings.registryUrl,
      ...(flags.topicPrefix === undefined ? {} : { topicPrefix: flags.topicPrefix }),
    });
    process.stdout.write(flags.json ? `${JSON.stringify(result, null, 2)}\n` : renderText(result, { verbose: flags.verbose === true }));
  } catch (err) {
    fail(err);
  } finally {
    await db.destroy();
  }
}

export function traceCommand(): Command {
  return new Command('trace')
    .description("the lineage of one event: every stage it passed, in time order, with what happened and why, and where it stopped (docs/trace.md)")
    .argument('<messageId>', "the event's messageId")
    .requiredOption('--tenant <id|name>', 'the tenant')
    .option('--since <time>', 'read the topics from this time on: an ISO time or a duration back from now (default 24h)', (v: string) => pointInTime(v))
    .option('--database-url <url>', 'PostgreSQL URL (default: $DATABASE_URL, else the running pnpm start)')
    .option('--brokers <list>', 'Kafka bootstrap servers, host:port[,host:port...] (default: $KAFKA_BROKERS, else the running pnpm start)', brokerList)
    .option('--registry-url <url>', 'the schema registry (default: $SCHEMA_REGISTRY_URL, else the running pnpm start)')
    .option('--topic-prefix <prefix>', 'the topics are named <prefix>.<catalogue name> (a prefixed copy of the catalogue)')
    .option('--verbose', 'also print how many records were read per topic')
    .option('--json', 'print {messageId, tenantId, steps, status, found, scanned} ({"error":{code,message},"exitCode"} on failure)')
    .addHelpText('after', TRACE_EXIT_HELP)
    // Commander exits 1 on bad arguments; 1 means "failed" here, so usage errors are 2.
    .exitOverride((err: CommanderError) => process.exit(err.exitCode === 0 ? 0 : DB_EXIT_CODES.usage))
    .action((messageId: string, flags: TraceFlags) => trace(messageId, flags));
}
