/**
 * `stratum dlq list|replay|purge`: an operator's view of delivery.dlq, through its index in
 * PostgreSQL (@stratum/delivery). list finds and inspects, replay sends dead letters back onto
 * delivery.attempts as fresh attempts (same idempotency keys, so nothing is delivered twice), and
 * purge hides them for good. docs/dlq.md is the runbook.
 */
import { Command, InvalidArgumentError, type CommanderError } from 'commander';
import { withTenant } from '@stratum/db';
import { countDeadLetters, DEAD_LETTER_MAX_PAGE_SIZE, listDeadLetters, purgeDeadLetters, type DeadLetterSummary } from '@stratum/delivery';
import { findTenant } from '@stratum/tenancy';
import { brokerList, positive } from '../flags';
import { DB_EXIT_CODES } from './database-command';
import { describeFilter, filterOf, withFilterFlags, type FilterFlags } from './dlq-filter-flags';
import { kafkaAttemptSender, replayDeadLetters, type AttemptSender, type ReplayResult } from './dlq-replay';
import { RUNNING_PLATFORM_HINT, defaultBrokers, defaultRegistryUrl } from '../running-platform';
import { DLQ_EXIT_HELP, dlqCommandErrors, runDlq } from './dlq-run';
import { deadLetterTable, jsonSummary, totalsLines, totalsOf, type Totals } from './dlq-table';

const ATTEMPTS_TOPIC = 'delivery.attempts';

/** A --limit for one page of list: 1 to the store's maximum. */
function pageLimit(value: string): number {
  const n = positive(value);
  if (n > DEAD_LETTER_MAX_PAGE_SIZE) throw new InvalidArgumentError(`must be at most ${DEAD_LETTER_MAX_PAGE_SIZE} (page on with --after), got "${value}"`);
  return n;
}

/**
 * A subcommand with the database commands' --database-url and --json, the filter flags and the
 * dlq exit codes (not databaseCommand's: replay adds Kafka to what can be unreachable).
 */
function dlqSubcommand(name: string, description: string): Command {
  const command = new Command(name)
    .description(description)
    .option('--database-url <url>', 'PostgreSQL URL (default: $DATABASE_URL, else the running pnpm start)')
    .option('--json', 'print the result as JSON ({"error":{code,message},"exitCode"} on failure)')
    .addHelpText('after', DLQ_EXIT_HELP)
    // Commander exits 1 on bad arguments; 1 means "failed" here, so usage errors are 2.
    .exitOverride((err: CommanderError) => process.exit(err.exitCode === 0 ? 0 : DB_EXIT_CODES.usage));
  return withFilterFlags(command);
}

interface ListFlags extends FilterFlags {
  limit?: number;
  after?: string;
}

interface Listing extends Totals {
  readonly deadLetters: DeadLetterSummary[];
  readonly nextCursor: string | null;
  readonly filter: string;
}

function listHuman(l: Listing): string {
  if (l.total === 0) return `no dead letters match (${l.filter})\n`;
  const more = l.nextCursor === null ? '' : `; next page: --after ${l.nextCursor}`;
  return `${deadLetterTable(l.deadLetters)}\n${l.deadLetters.length} shown of ${l.total} matching (${l.filter}), newest first${more}\n${totalsLines(l)}`;
}

function listCommand(): Command {
  return dlqSubcommand('list', "a tenant's dead letters, newest first, with totals per destination and reason")
    .option('--limit <n>', `rows per page (default 100, at most ${DEAD_LETTER_MAX_PAGE_SIZE})`, pageLimit)
    .option('--after <cursor>', 'the next page: the cursor the previous page printed')
    .action((flags: ListFlags) =>
      runDlq(
        'dlq list',
        flags,
        async (db): Promise<Listing> => {
          const { tenantId } = await findTenant(db, flags.tenant);
          const filter = filterOf(flags);
          const request = { ...filter, ...(flags.limit === undefined ? {} : { limit: flags.limit }), ...(flags.after === undefined ? {} : { after: flags.after }) };
          // One snapshot: the totals count exactly the rows the page was cut from.
          return withTenant(
            db,
            tenantId,
            async (trx) => {
              const page = await listDeadLetters(trx, tenantId, request);
              return { ...page, ...totalsOf(await countDeadLetters(trx, tenantId, filter)), filter: describeFilter(filter) };
            },
            { mode: 'snapshot' },
          );
        },
        listHuman,
        (l) => ({ ...l, deadLetters: l.deadLetters.map(jsonSummary) }),
      ),
    );
}

interface ReplayFlags extends FilterFlags {
  backfill?: boolean;
  dryRun?: boolean;
  limit?: number;
  brokers?: string[];
  registryUrl?: string;
  topic: string;
}

/** The producer replay needs: flags first, then KAFKA_BROKERS and SCHEMA_REGISTRY_URL, as services read them, then the running `stratum start`. */
function senderFor(flags: ReplayFlags): () => Promise<AttemptSender> {
  return async () => {
    const fromEnv = defaultBrokers();
    let brokers = flags.brokers;
    try {
      brokers ??= fromEnv ? brokerList(fromEnv) : undefined;
    } catch (err) {
      throw dlqCommandErrors.error('usage', `Kafka brokers: ${(err as Error).message}`);
    }
    const registryUrl = flags.registryUrl ?? defaultRegistryUrl();
    if (!brokers) throw dlqCommandErrors.error('usage', `replay needs Kafka: pass --brokers host:port, set KAFKA_BROKERS, ${RUNNING_PLATFORM_HINT}`);
    if (!registryUrl) throw dlqCommandErrors.error('usage', `replay needs the schema registry: pass --registry-url http://…, set SCHEMA_REGISTRY_URL, ${RUNNING_PLATFORM_HINT}`);
    return kafkaAttemptSender({ brokers, registryUrl, topic: flags.topic });
  };
}

interface Replay extends ReplayResult {
  readonly topic: string;
  readonly dryRun: boolean;
  readonly backfill: boolean;
  readonly filter: string;
}

function replayHuman(r: Replay): string {
  const as = `as attempt 1${r.backfill ? ', marked backfill' : ''}`;
  if (r.deadLetters.length === 0) return `no dead letters match (${r.filter}); nothing replayed\n`;
  if (r.dryRun) return `${deadLetterTable(r.deadLetters)}\nwould replay ${r.deadLetters.length} dead letter(s) to ${r.topic} ${as} (dry run: nothing sent)\n`;
  return (
    `replayed ${r.replayed} dead letter(s) to ${r.topic} ${as}, oldest first\n` +
    'idempotency keys unchanged (tenant, destination, messageId): an event that was in fact delivered, or replayed twice, is not sent again\n'
  );
}

function replayCommand(): Command {
  return dlqSubcommand('replay', 'send dead letters back onto delivery.attempts as fresh attempts (same idempotency keys: nothing is delivered twice)')
    .option('--backfill', 'mark the replays historical: SMS skips them, webhooks say so')
    .option('--dry-run', 'list what would be replayed; send and change nothing')
    .option('--limit <n>', 'replay at most this many, oldest first (default: every match)', positive)
    .option('--brokers <list>', 'Kafka bootstrap servers, host:port[,host:port...] (default: $KAFKA_BROKERS, else the running pnpm start)', brokerList)
    .option('--registry-url <url>', 'the schema registry (default: $SCHEMA_REGISTRY_URL, else the running pnpm start)')
    .option('--topic <name>', 'the topic to replay onto', ATTEMPTS_TOPIC)
    .action((flags: ReplayFlags) =>
      runDlq(
        'dlq replay',
        flags,
        async (db): Promise<Replay> => {
          const { tenantId } = await findTenant(db, flags.tenant);
          const filter = filterOf(flags);
          const result = await replayDeadLetters(db, tenantId, filter, {
            backfill: flags.backfill === true,
            dryRun: flags.dryRun === true,
            openSender: senderFor(flags),
            ...(flags.limit === undefined ? {} : { limit: flags.limit }),
          });
          return { ...result, topic: flags.topic, dryRun: flags.dryRun === true, backfill: flags.backfill === true, filter: describeFilter(filter) };
        },
        replayHuman,
        ({ deadLetters, ...r }) => (r.dryRun ? { ...r, deadLetters: deadLetters.map(jsonSummary) } : { ...r, dlqIds: deadLetters.map((d) => d.dlqId) }),
      ),
    );
}

interface PurgeFlags extends FilterFlags {
  yes?: boolean;
}

function purgeCommand(): Command {
  return dlqSubcommand('purge', 'hide matching dead letters from list and replay for good (refuses without --yes, saying how many)')
    .option('--yes', 'purge; without it nothing is purged and the command exits 2')
    .action((flags: PurgeFlags) =>
      runDlq(
        'dlq purge',
        flags,
        async (db) => {
          const { tenantId } = await findTenant(db, flags.tenant);
          const filter = filterOf(flags);
          const described = describeFilter(filter);
          if (flags.yes !== true) {
            const { total } = totalsOf(await withTenant(db, tenantId, (trx) => countDeadLetters(trx, tenantId, filter), { mode: 'snapshot' }));
            if (total > 0) {
              throw dlqCommandErrors.error('confirmation_required', `would purge ${total} dead letter(s) (${described}); nothing purged: run again with --yes to purge them`, { details: { wouldPurge: total } });
            }
            return { purged: 0, filter: described };
          }
          return { purged: await withTenant(db, tenantId, (trx) => purgeDeadLetters(trx, tenantId, filter)), filter: described };
        },
        (r) =>
          r.purged === 0
            ? `no dead letters match (${r.filter}); nothing purged\n`
            : `purged ${r.purged} dead letter(s) (${r.filter}): hidden from list and replay for good; delivery.dlq keeps the records until its retention ends\n`,
      ),
    );
}

/** Builds the `dlq` command and its subcommands. */
export function dlqCommand(): Command {
  return new Command('dlq')
    .description("a tenant's dead letters (delivery.dlq): list, replay, purge (docs/dlq.md)")
    .addCommand(listCommand())
    .addCommand(replayCommand())
    .addCommand(purgeCommand());
}
