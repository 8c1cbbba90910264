/**
 * `stratum topics apply`: create or check the catalogue's topics on any Kafka (the embedded broker
 * or Apache Kafka). The logic is @stratum/topics' applyTopics; this file is flags and exit codes.
 */
import { Command, type CommanderError } from 'commander';
import { applyTopics, formatReport, EXIT_CODES, TopicsError } from '@stratum/topics';
import { brokerList, positive } from '../flags';

/** Commander exits 1 on bad arguments; scripts need 1 to mean "drift", so usage errors are 2. */
function usageExit(err: CommanderError): never {
  process.exit(err.exitCode === 0 ? 0 : EXIT_CODES.usage);
}

interface ApplyFlags {
  brokers: string[];
  check?: boolean;
  json?: boolean;
  replicationFactor?: number;
  allowPartitionIncrease?: boolean;
}

const EXIT_HELP = `
Exit codes:
  0  every topic matches the catalogue (after the changes made)
  1  differences left (--check found some, fewer partitions without --allow-partition-increase, or a change the cluster refused)
  2  usage error (bad flags, a replication factor larger than the cluster); nothing changed
  3  Kafka unreachable, or it failed a read; nothing changed`;

/** Builds the `topics` command and its `apply` subcommand. */
export function topicsCommand(): Command {
  const apply = new Command('apply')
    .description('create missing catalogue topics and fix config drift, idempotently (or only report, with --check)')
    .requiredOption('--brokers <list>', 'bootstrap servers, host:port[,host:port...]', brokerList)
    .option('--check', 'change nothing; report differences and exit 1 if there are any')
    .option('--json', 'print the report as JSON instead of one line per topic ({"error":{code,message},"exitCode"} when it cannot run)')
    .option('--replication-factor <n>', 'replicas for created topics (default: min(3, brokers in the cluster))', positive)
    .option('--allow-partition-increase', 'add partitions to topics with fewer than the catalogue (moves keys to other partitions: per-key order breaks)')
    .addHelpText('after', EXIT_HELP)
    .exitOverride(usageExit)
    .action(async (flags: ApplyFlags) => {
      try {
        const report = await applyTopics({
          brokers: flags.brokers,
          check: flags.check === true,
          allowPartitionIncrease: flags.allowPartitionIncrease === true,
          ...(flags.replicationFactor === undefined ? {} : { replicationFactor: flags.replicationFactor }),
        });
        process.stdout.write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
        process.exitCode = report.exitCode;
      } catch (err) {
        if (!(err instanceof TopicsError)) throw err;
        const exitCode = err.code === 'invalid_option' ? EXIT_CODES.usage : EXIT_CODES.unreachable;
        if (flags.json) process.stdout.write(`${JSON.stringify({ error: { code: err.code, message: err.message }, exitCode }, null, 2)}\n`);
        process.stderr.write(`stratum topics apply: ${err.message}\n`);
        process.exitCode = exitCode;
      }
    });
  return new Command('topics').description('the topic catalogue (packages/topics)').addCommand(apply);
}
