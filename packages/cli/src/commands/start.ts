/**
 * `stratum start` (`pnpm start`): the embedded default, no external servers: the Kafka-compatible
 * broker, the schema registry on it, every catalogue topic created or checked, every topic's value
 * schema registered; PostgreSQL (embedded, or DATABASE_URL) migrated, with a demo tenant; and the
 * pipeline services that have landed (gateway, ingest, dedup, identity-resolution, profile API) as child processes, restarted if they crash.
 * Prints a banner with what runs where; Ctrl-C stops it all cleanly and the data stays under
 * --data-dir for the next run.
 */
import { Command } from 'commander';
import { join, resolve } from 'node:path';
import { startBroker, jsonLogger } from '@stratum/broker';
import { startSchemaRegistry } from '@stratum/schema-registry';
import { applyTopics, formatReport, topicCatalogue, valueSubject } from '@stratum/topics';
import { confluentRegistryClient, createSerde, isSchemaName } from '@stratum/schemas';
import { logLevel, port, type LogLevel } from '../flags';
import { startPlatform, type Platform } from '../start/platform';
import { recordRunningPlatform } from '../running-platform';
import { stopOnSignal } from '../stop-on-signal';

interface StartOptions {
  port: number;
  registryPort: number;
  dataDir: string;
  logLevel: LogLevel;
  services: boolean;
  postgresPort: number;
  gatewayPort: number;
  ingestMetricsPort: number;
  dedupMetricsPort: number;
  identityMetricsPort: number;
  deliveryMetricsPort: number;
  retryMetricsPort: number;
  profileApiPort: number;
  databaseUrl?: string;
  mockDestinations: boolean;
  mockDestinationsPort: number;
}

/** Registers the newest value schema of every catalogue topic under its subject; returns how many. */
async function registerValueSchemas(registryUrl: string): Promise<number> {
  const registry = confluentRegistryClient(registryUrl);
  for (const topic of topicCatalogue) {
    if (!isSchemaName(topic.valueSchema)) throw new Error(`topic ${topic.name}: no schema folder schemas/${topic.valueSchema}`);
    await createSerde(registry, topic.valueSchema, valueSubject(topic));
  }
  return topicCatalogue.length;
}

/** Builds the `start` command. */
export function startCommand(): Command {
  return new Command('start')
    .description('run the embedded default: broker, schema registry, topics and schemas (foreground)')
    .option('--port <port>', 'Kafka port', port, 9092)
    .option('--registry-port <port>', 'schema registry HTTP port', port, 8081)
    .option('--data-dir <dir>', 'where everything keeps its data between runs', './data')
    .option('--log-level <level>', 'debug | info | warn | error', logLevel, 'warn')
    .option('--no-services', 'only Kafka, the registry, topics and schemas (no PostgreSQL, no pipeline services)')
    .option('--database-url <url>', 'use this PostgreSQL instead of the embedded one (default: $DATABASE_URL)')
    .option('--postgres-port <port>', 'port of the embedded PostgreSQL', port, 5433)
    .option('--gateway-port <port>', 'HTTP port of the gateway (the Segment-compatible API)', port, 8080)
    .option('--ingest-metrics-port <port>', "the ingest stage's /metrics /healthz /readyz port", port, 9465)
    .option('--dedup-metrics-port <port>', "the dedup stage's /metrics /healthz /readyz port", port, 9466)
    .option('--identity-metrics-port <port>', "the identity-resolution stage's /metrics /healthz /readyz port", port, 9467)
    .option('--delivery-metrics-port <port>', "the delivery-adapter's /metrics /healthz /readyz port", port, 9468)
    .option('--retry-metrics-port <port>', "the retry stage's /metrics /healthz /readyz port", port, 9469)
    .option('--profile-api-port <port>', 'HTTP port of the profile API (tenant admin key)', port, 8090)
    .option('--mock-destinations', 'also run mock webhook, Meta CAPI, GA4 and TikTok endpoints and point the demo tenant at them (for pnpm demo; docs/demo.md)', false)
    .option('--mock-destinations-port <port>', "the mock destinations console's port; the mocks take the next four", port, 9600)
    .action(async (opts: StartOptions) => {
      const dataDir = resolve(opts.dataDir);
      const broker = await startBroker({ port: opts.port, dataDir: join(dataDir, 'kafka'), flush: 'always', logger: jsonLogger(opts.logLevel) });
      const registry = await startSchemaRegistry({
        brokers: [broker.bootstrap],
        port: opts.registryPort,
        logger: jsonLogger(opts.logLevel, { component: 'schema-registry' }),
      }).catch(async (err: unknown) => {
        await broker.stop();
        throw err;
      });
      let platform: Platform | null = null;
      let forget: (() => void) | null = null;
      stopOnSignal('stratum', async () => {
        forget?.();
        await platform?.stop();
        await registry.stop();
        await broker.stop();
      });
      const report = await applyTopics({ brokers: [broker.bootstrap] });
      if (report.exitCode !== 0) {
        process.stderr.write(formatReport(report));
        throw new Error('the topic catalogue could not be applied to the embedded broker');
      }
      const subjects = await registerValueSchemas(registry.url);
      const databaseUrl = opts.databaseUrl ?? process.env.DATABASE_URL;
      if (opts.mockDestinations && !opts.services) process.stderr.write('stratum: --mock-destinations is ignored with --no-services (no delivery to point at them)\n');
      if (opts.services) {
        platform = await startPlatform({
          dataDir,
          brokers: [broker.bootstrap],
          registryUrl: registry.url,
          logLevel: opts.logLevel,
          postgresPort: opts.postgresPort,
          gatewayPort: opts.gatewayPort,
          ingestMetricsPort: opts.ingestMetricsPort,
          dedupMetricsPort: opts.dedupMetricsPort,
          identityMetricsPort: opts.identityMetricsPort,
          deliveryMetricsPort: opts.deliveryMetricsPort,
          retryMetricsPort: opts.retryMetricsPort,
          credentialKeys: process.env.STRATUM_CREDENTIALS_KEYS,
          profileApiPort: opts.profileApiPort,
          mockDestinations: opts.mockDestinations,
          mockDestinationsPort: opts.mockDestinationsPort,
          ...(databaseUrl ? { databaseUrl } : {}),
          report: (line) => process.stderr.write(`stratum: ${line}\n`),
        });
      }
      process.stdout.write(
        [
          'Stratum embedded default is up',
          `  Kafka (embedded broker)  ${broker.bootstrap}   data ${join(dataDir, 'kafka')}`,
          `  Schema registry          ${registry.url}`,
          `  Topics                   ${report.topics.length} from the catalogue (docs/pipeline.md), ${subjects} value subjects registered`,
          ...(platform?.bannerLines() ?? []),
          'Try:',
          `  kcat -b ${broker.bootstrap} -L`,
          `  curl ${registry.url}/subjects`,
          ...(platform?.tryLines() ?? []),
          'Ctrl-C stops everything; data stays for the next run.',
          '',
        ].join('\n'),
      );
      // For the other commands run from here (pnpm stratum import, trace, dlq, tenant …): no flags needed.
      forget = recordRunningPlatform(dataDir, { brokers: [broker.bootstrap], registryUrl: registry.url, databaseUrl: platform?.databaseUrl ?? null });
    });
}
