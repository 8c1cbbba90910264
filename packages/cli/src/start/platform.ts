/**
 * The part of `stratum start` after Kafka and the registry: PostgreSQL (embedded unless a URL is
 * given), migrations, the demo tenant, and the pipeline services as supervised child processes.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDb, migrateToLatest } from '@stratum/db';
import { ensureDemoTenant, type DemoTenant } from './demo-tenant';
import { devCredentialKeys } from './dev-credentials-key';
import { startEmbeddedPostgres, type StartedPostgres } from './embedded-postgres';
import { MOCK_DELIVERY_ENV, startMockDestinations, type StartedMockDestinations } from './mock-destinations';
import { superviseService, type SupervisedService } from './service-process';

export interface PlatformOptions {
  dataDir: string;
  brokers: readonly string[];
  registryUrl: string;
  logLevel: string;
  postgresPort: number;
  gatewayPort: number;
  ingestMetricsPort: number;
  dedupMetricsPort: number;
  identityMetricsPort: number;
  deliveryMetricsPort: number;
  retryMetricsPort: number;
  profileApiPort: number;
  databaseUrl?: string;
  /** STRATUM_CREDENTIALS_KEYS from the environment, if the operator set it. */
  credentialKeys?: string | undefined;
  /** Also run the mock destinations (--mock-destinations) and point the demo tenant's destinations at them. Default false. */
  mockDestinations?: boolean;
  /** The mock destinations console's port (default 9600); the mocks take the next four. */
  mockDestinationsPort?: number;
  report: (line: string) => void;
}

export interface Platform {
  /** The PostgreSQL the services use (embedded, or the one given). */
  readonly databaseUrl: string;
  bannerLines(): string[];
  tryLines(): string[];
  stop(): Promise<void>;
}

const repoRoot = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..', '..');
const serviceEntry = (name: string) => join(repoRoot, 'services', name, 'src', 'main.ts');
// Both services log this once they serve /metrics (runStageProcess, and the gateway's listen line).
const READY = /health and metrics endpoints up|gateway listening|profile API listening/;

function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  const postgres: StartedPostgres | null = options.databaseUrl ? null : await startEmbeddedPostgres(options.dataDir, options.postgresPort, () => undefined);
  const databaseUrl = options.databaseUrl ?? postgres!.url;
  const services: SupervisedService[] = [];
  const stop = async () => {
    await Promise.all(services.map((s) => s.stop()));
    await postgres?.stop();
  };
  try {
    const db = createDb(databaseUrl, { maxConnections: 2, applicationName: 'stratum start' });
    let demo: DemoTenant;
    try {
      await migrateToLatest(db);
      demo = await ensureDemoTenant(db, options.dataDir);
    } finally {
      await db.destroy();
    }
    const common = {
      KAFKA_BROKERS: options.brokers.join(','),
      SCHEMA_REGISTRY_URL: options.registryUrl,
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: options.logLevel === 'warn' ? 'info' : options.logLevel,
    };
    const logDir = join(options.dataDir, 'logs');
    const credentials = devCredentialKeys(options.dataDir, options.credentialKeys);
    const supervise = (name: string, env: Record<string, string>) =>
      superviseService({ name, entry: serviceEntry(name), env: { ...common, KAFKA_CLIENT_ID: name, SERVICE_NAME: name, ...env } }, { logDir, cwd: repoRoot, readyLine: READY, report: options.report });
    // Before the pipeline, so the delivery-adapter's first look at the destinations already sees the mocks.
    const mocks: StartedMockDestinations | null = options.mockDestinations
      ? await startMockDestinations({ port: options.mockDestinationsPort ?? 9600, databaseUrl, tenantId: demo.tenantId, credentialKeys: credentials.keys, logDir, cwd: repoRoot, report: options.report })
      : null;
    if (mocks) services.push(mocks.service);
    services.push(
      supervise('ingest', { STAGE_GROUP_ID: 'stratum-ingest', METRICS_PORT: String(options.ingestMetricsPort) }),
      supervise('dedup', { STAGE_GROUP_ID: 'stratum-dedup', METRICS_PORT: String(options.dedupMetricsPort) }),
      // The young-generation size the image's entrypoint gives it too (docker/entrypoint.sh).
      supervise('identity-resolution', { STAGE_GROUP_ID: 'stratum-identity-resolution', METRICS_PORT: String(options.identityMetricsPort), NODE_OPTIONS: '--max-semi-space-size=64' }),
      supervise('delivery-adapter', { STAGE_GROUP_ID: 'stratum-delivery-adapter', DELIVERY_ATTEMPTS_GROUP_ID: 'stratum-delivery-adapter.attempts', METRICS_PORT: String(options.deliveryMetricsPort), STRATUM_CREDENTIALS_KEYS: credentials.keys, ...(mocks ? MOCK_DELIVERY_ENV : {}) }),
      supervise('retry', { STAGE_GROUP_ID: 'stratum-retry', METRICS_PORT: String(options.retryMetricsPort) }),
      supervise('profile-api', { PROFILE_API_PORT: String(options.profileApiPort), PROFILE_API_HOST: '127.0.0.1', STRATUM_CREDENTIALS_KEYS: credentials.keys }),
      supervise('gateway', { GATEWAY_PORT: String(options.gatewayPort), GATEWAY_HOST: '127.0.0.1', METRICS_PORT: String(options.gatewayPort), STRATUM_CREDENTIALS_KEYS: credentials.keys }),
    );
    await Promise.all(services.map((s) => s.started));
    const gateway = `http://127.0.0.1:${options.gatewayPort}`;
    return {
      databaseUrl,
      bannerLines: () => [
        `  PostgreSQL               ${redact(databaseUrl)}${postgres ? `   data ${postgres.dataDir}` : ''}`,
        `  Gateway (Segment API)    ${gateway}   ${gateway}/openapi.json`,
        `  Ingest stage             metrics http://127.0.0.1:${options.ingestMetricsPort}/metrics`,
        `  Dedup stage              metrics http://127.0.0.1:${options.dedupMetricsPort}/metrics`,
        `  Identity resolution      metrics http://127.0.0.1:${options.identityMetricsPort}/metrics   profiles in PostgreSQL (docs/identity.md)`,
        `  Delivery                 metrics http://127.0.0.1:${options.deliveryMetricsPort}/metrics   retry metrics http://127.0.0.1:${options.retryMetricsPort}/metrics   (pnpm stratum destination create, pnpm stratum dlq list)`,
        `  Credentials key          ${credentials.source}   (STRATUM_CREDENTIALS_KEYS=$(cat it) for pnpm stratum destination create)`,
        `  Profile API              http://127.0.0.1:${options.profileApiPort}   http://127.0.0.1:${options.profileApiPort}/openapi.json   (Bearer <admin key>)`,
        `  Service logs             ${logDir}`,
        `  Demo tenant              ${demo.tenantId}  source ${demo.sourceId}  write key ${demo.writeKey}${demo.adminKey ? `  admin key ${demo.adminKey}` : ''}`,
        ...(mocks?.bannerLines() ?? []),
      ],
      tryLines: () => [
        `  curl -u ${demo.writeKey}: ${gateway}/v1/track -H 'content-type: application/json' \\`,
        `    -d '{"userId":"user-1","event":"Order Completed","properties":{"total":42}}'`,
        ...(demo.adminKey
          ? [`  curl -H 'Authorization: Bearer ${demo.adminKey}' 'http://127.0.0.1:${options.profileApiPort}/v1/profiles?identifier=user_id:user-1'   # the golden record`]
          : []),
        // The generated file is Australian: --region AU reads its phones and postcodes (the demo source's region is US).
        `  pnpm stratum import generate --rows 5000 --out ${join(options.dataDir, 'persons.csv')}`,
        `  pnpm stratum import ${join(options.dataDir, 'persons.csv')} --tenant demo --source ${demo.sourceId} --region AU   # person file → golden records (docs/import.md)`,
        `  kcat -b ${options.brokers[0]} -C -t events.valid -o beginning -e -f '%k\\n'   # tenantId:messageId of each validated event`,
        `  kcat -b ${options.brokers[0]} -C -t events.unique -X isolation.level=read_committed -o beginning -e -f '%k\\n'   # each event once, repeats dropped`,
        ...(mocks?.tryLines() ?? []),
      ],
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
