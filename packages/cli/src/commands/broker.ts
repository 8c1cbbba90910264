/**
 * `stratum broker`: runs the embedded Kafka-compatible broker in the foreground.
 * Prints one line when it listens; SIGTERM/SIGINT flush and close the log cleanly.
 */
import { Command, InvalidArgumentError } from 'commander';
import { resolve } from 'node:path';
import { startBroker, jsonLogger } from '@stratum/broker';
import { logLevel, port, positive, type LogLevel } from '../flags';
import { stopOnSignal } from '../stop-on-signal';

function flushPolicy(value: string): 'always' | 'os' {
  if (value !== 'always' && value !== 'os') throw new InvalidArgumentError(`must be "always" or "os", got "${value}"`);
  return value;
}

/** Builds the `broker` command. */
export function brokerCommand(): Command {
  return new Command('broker')
    .description('run the embedded Kafka-wire-compatible broker (foreground)')
    .option('--port <port>', 'TCP port to listen on (0 = any free port)', port, 9092)
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--advertised-host <host>', 'host clients are told to connect to', '127.0.0.1')
    .option('--data-dir <dir>', 'where the log, offsets and transaction state live', './data/kafka')
    .option('--flush <policy>', '"always": fdatasync before every ack; "os": page cache only (survives kill -9, not power loss)', flushPolicy, 'always')
    .option('--partitions <n>', 'partitions of auto-created topics', positive, 1)
    .option('--no-auto-create', 'do not create topics on first use')
    .option('--log-level <level>', 'debug | info | warn | error', logLevel, 'info')
    .action(async (opts: { port: number; host: string; advertisedHost: string; dataDir: string; flush: 'always' | 'os'; partitions: number; autoCreate: boolean; logLevel: LogLevel }) => {
      const dataDir = resolve(opts.dataDir);
      const broker = await startBroker({
        port: opts.port,
        host: opts.host,
        advertisedHost: opts.advertisedHost,
        dataDir,
        flush: opts.flush,
        defaultPartitions: opts.partitions,
        autoCreateTopics: opts.autoCreate,
        logger: jsonLogger(opts.logLevel),
      });
      process.stdout.write(`stratum broker listening on ${broker.bootstrap} (data ${dataDir}, flush ${opts.flush})\n`);
      stopOnSignal('stratum broker', () => broker.stop());
    });
}
