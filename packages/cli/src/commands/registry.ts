/**
 * `stratum registry`: runs the embedded Confluent-compatible schema registry in the foreground,
 * stored in a Kafka topic. Prints one line when it listens; SIGTERM/SIGINT stop it cleanly.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { jsonLogger } from '@stratum/broker';
import { startSchemaRegistry } from '@stratum/schema-registry';

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError(`port must be an integer 0–65535, got "${value}"`);
  return n;
}

function brokerList(value: string): string[] {
  const brokers = value.split(',').map((b) => b.trim());
  for (const b of brokers) {
    const m = /^(.+):(\d+)$/.exec(b);
    if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) throw new InvalidArgumentError(`brokers must be host:port[,host:port...], got "${value}"`);
  }
  return brokers;
}

function milliseconds(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`must be a positive number of milliseconds, got "${value}"`);
  return n;
}

function logLevel(value: string): 'debug' | 'info' | 'warn' | 'error' {
  if (value !== 'debug' && value !== 'info' && value !== 'warn' && value !== 'error') throw new InvalidArgumentError(`must be debug, info, warn or error, got "${value}"`);
  return value;
}

interface Options {
  port: number;
  host: string;
  brokers: string[];
  topic: string;
  connectTimeout: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
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
      let stopping = false;
      const shutdown = (signal: string) => {
        if (stopping) return;
        stopping = true;
        registry
          .stop()
          .then(() => {
            process.stderr.write(`stratum registry stopped cleanly on ${signal}\n`);
            process.exit(0);
          })
          .catch((err: unknown) => {
            process.stderr.write(`stratum registry: shutdown failed: ${String(err)}\n`);
            process.exit(1);
          });
      };
      process.on('SIGTERM', () => shutdown('SIGTERM'));
      process.on('SIGINT', () => shutdown('SIGINT'));
    });
}
