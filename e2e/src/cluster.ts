/**
 * The whole pipeline as separate processes on loopback, the way `stratum start` and production
 * run it: the embedded broker (`stratum broker`, data on disk so a kill -9 loses nothing the kernel
 * holds) and the schema registry (`stratum registry`) as processes of their own, the catalogue's
 * topics, then every service from its src/main.ts. Fixed ports are picked once, so a restarted
 * broker or gateway comes back where its clients look for it.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { closedPort, spawnTsProcess } from '@stratum/testing';
import { ChaosProcess, type ProcessSpec } from './chaos-process';

export const repoRoot = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const cli = join(repoRoot, 'packages', 'cli', 'src', 'main.ts');
const serviceEntry = (name: string) => join(repoRoot, 'services', name, 'src', 'main.ts');

/** Every stage (a Kafka consumer group) of the pipeline, in flow order. */
export const STAGES = ['ingest', 'dedup', 'identity-resolution', 'delivery-adapter', 'retry'] as const;
export type StageName = (typeof STAGES)[number];

export interface ClusterOptions {
  readonly databaseUrl: string;
  /** Broker data and process logs go under here. */
  readonly workDir: string;
  /** `id:base64` keys the destinations' credentials are sealed with. */
  readonly credentialKeys: string;
  /** Consumer session timeout of the stages: how long a killed member holds its partitions. */
  readonly sessionTimeoutMs?: number;
  /** Extra environment per service (tuning for a benchmark or a test). */
  readonly env?: Partial<Record<StageName | 'gateway' | 'profile-api', Record<string, string>>>;
  /** Flags for a service's node (a CPU profile of a benchmark: `--cpu-prof`, `--cpu-prof-dir=…`). */
  readonly nodeArgs?: Partial<Record<StageName | 'gateway' | 'profile-api', readonly string[]>>;
  readonly logLevel?: string;
}

export interface Cluster {
  readonly bootstrap: string;
  readonly registryUrl: string;
  readonly gatewayUrl: string;
  readonly profileApiUrl: string;
  readonly processes: ReadonlyMap<string, ChaosProcess>;
  process(name: string): ChaosProcess;
  /** Resolves once every process is up (after kills, once each has restarted). */
  allReady(): Promise<void>;
  stop(): Promise<void>;
}

async function runToEnd(args: readonly string[]): Promise<void> {
  const run = spawnTsProcess(cli, {}, { args });
  const code = await run.exit;
  if (code !== 0) throw new Error(`stratum ${args.join(' ')} exited ${code}: ${run.stdout()}${run.stderr()}`);
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const [brokerPort, registryPort, gatewayPort, profileApiPort] = [await closedPort(), await closedPort(), await closedPort(), await closedPort()];
  const bootstrap = `127.0.0.1:${brokerPort}`;
  const registryUrl = `http://127.0.0.1:${registryPort}`;
  const logLevel = options.logLevel ?? 'info';
  const processOptions = { cwd: repoRoot, logDir: join(options.workDir, 'logs') };
  const processes = new Map<string, ChaosProcess>();
  const add = (spec: ProcessSpec) => {
    const p = new ChaosProcess(spec, processOptions);
    processes.set(spec.name, p);
    return p;
  };
  const stop = async () => {
    // Services first (they drain into Kafka), then the registry, the broker last.
    const services = [...processes.values()].filter((p) => p.name !== 'broker' && p.name !== 'registry');
    await Promise.all(services.map((p) => p.stop()));
    await processes.get('registry')?.stop();
    await processes.get('broker')?.stop();
  };

  try {
    await add({
      name: 'broker',
      entry: cli,
      args: ['broker', '--port', String(brokerPort), '--data-dir', join(options.workDir, 'kafka'), '--flush', 'os', '--log-level', 'warn'],
      env: {},
      ready: /stratum broker listening/,
    }).start();
    await add({ name: 'registry', entry: cli, args: ['registry', '--port', String(registryPort), '--brokers', bootstrap], env: {}, ready: /stratum registry listening/ }).start();
    await runToEnd(['topics', 'apply', '--brokers', bootstrap]);

    const common = {
      KAFKA_BROKERS: bootstrap,
      SCHEMA_REGISTRY_URL: registryUrl,
      DATABASE_URL: options.databaseUrl,
      LOG_LEVEL: logLevel,
    };
    const stage = (name: StageName, env: Record<string, string> = {}) =>
      add({
        name,
        entry: serviceEntry(name),
        env: {
          ...common,
          SERVICE_NAME: name,
          KAFKA_CLIENT_ID: name,
          STAGE_GROUP_ID: `stratum-${name}`,
          METRICS_PORT: '0',
          STAGE_SESSION_TIMEOUT_MS: String(options.sessionTimeoutMs ?? 30_000),
          ...env,
          ...options.env?.[name],
        },
        nodeArgs: options.nodeArgs?.[name] ?? [],
        ready: /health and metrics endpoints up/,
      });
    stage('ingest');
    stage('dedup');
    // The young-generation size the image's entrypoint gives it (docker/entrypoint.sh).
    stage('identity-resolution', { NODE_OPTIONS: '--max-semi-space-size=64' });
    stage('delivery-adapter', {
      DELIVERY_ATTEMPTS_GROUP_ID: 'stratum-delivery-adapter.attempts',
      STRATUM_CREDENTIALS_KEYS: options.credentialKeys,
      // The mock destinations listen on loopback, which the SSRF guard refuses unless allowed.
      DELIVERY_WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
    });
    stage('retry');
    add({
      name: 'profile-api',
      entry: serviceEntry('profile-api'),
      env: { ...common, SERVICE_NAME: 'profile-api', PROFILE_API_PORT: String(profileApiPort), PROFILE_API_HOST: '127.0.0.1', ...options.env?.['profile-api'] },
      ready: /profile API listening/,
    });
    add({
      name: 'gateway',
      entry: serviceEntry('gateway'),
      env: {
        ...common,
        SERVICE_NAME: 'gateway',
        KAFKA_CLIENT_ID: 'gateway',
        GATEWAY_PORT: String(gatewayPort),
        GATEWAY_HOST: '127.0.0.1',
        METRICS_PORT: String(gatewayPort),
        STRATUM_CREDENTIALS_KEYS: options.credentialKeys,
        ...options.env?.gateway,
      },
      ready: /gateway listening/,
    });
    await Promise.all([...processes.values()].filter((p) => p.name !== 'broker' && p.name !== 'registry').map((p) => p.start()));
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    bootstrap,
    registryUrl,
    gatewayUrl: `http://127.0.0.1:${gatewayPort}`,
    profileApiUrl: `http://127.0.0.1:${profileApiPort}`,
    processes,
    process(name) {
      const p = processes.get(name);
      if (p === undefined) throw new Error(`no process ${name} (have ${[...processes.keys()].join(', ')})`);
      return p;
    },
    allReady: async () => void (await Promise.all([...processes.values()].map((p) => p.whenReady()))),
    stop,
  };
}
