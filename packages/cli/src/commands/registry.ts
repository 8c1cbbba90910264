/**
 * `stratum registry`: runs the embedded Confluent-compatible schema registry in the foreground,
 * stored in a Kafka topic. Prints one line when it listens; SIGTERM/SIGINT stop it cleanly.
 */
import { Command, Option } from 'commander';
import { jsonLogger } from '@stratum/broker';
import { startSchemaRegistry } from '@stratum/schema-registry';
import { brokerList, logLevel, milliseconds, port, type LogLevel } from '../flags';
import { stopOnSignal } from '../stop-on-signal';

interface Options {
  port: number;
  host: string;
  brokers: string[];
  topic: string;
  connectTimeout: number;
  logLevel: LogLevel;
}

/** Builds the `registry` command. */
export function registryCommand(): Command {
  return new Command('registry')
    .description('run the embedded Confluent-compatible schema registry (foreground), stored in a Kafka topic')
    .option('--port <port>', 'HTTP port to listen on (0 = any free port)', port, 8081)
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .addOption(new Option('--brokers <list>', 'Kafka bootstrap servers, host:port[,host:port...]').argParser(brokerList).default(['localhost:9092'], 'localhost:9092'))
    .option('--topic <name>', 'the compacted topic holding schemas and configs', '_schemas')
    .option('--connect-timeout <ms>', 'how long to keep trying to reach Kafka at start-up', milliseconds, 30_000)
    .option('--log-level <level>', 'debug | info | warn | error', logLevel, 'info')
    .action(async (opts: Options) => {
      const registry = await startSchemaRegistry({
        brokers: opts.brokers,
        port: opts.port,
        host: opts.host,
        topic: opts.topic,
        startTimeoutMs: opts.connectTimeout,
        logger: jsonLogger(opts.logLevel, { component: 'schema-registry' }),
      }).catch((err: unknown) => {
        throw new Error(`registry not started: ${err instanceof Error ? err.message : String(err)}`);
      });
      process.stdout.write(`stratum registry listening on ${registry.url} (brokers ${opts.brokers.join(',')}, topic ${opts.topic})\n`);
      stopOnSignal('stratum registry', () => registry.stop());
    });
}
