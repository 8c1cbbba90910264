/**
 * A stage as a process: what every service's main.ts calls after parsing its config. Logger,
 * metrics registry, /metrics /healthz /readyz, the stage itself, SIGTERM/SIGINT → drain and exit 0,
 * a crash → exit 1 so the supervisor (docker, Kubernetes, `pnpm start`) restarts it.
 */
import { kafkaFragment, observabilityFragment, schemaRegistryFragment, stageFragment, type ConfigOf } from '@stratum/config';
import { createLogger, createMetricsRegistry, createStageMetrics, readinessFromChecks, startHealthServer, type ReadinessCheck, type Registry } from '@stratum/observability';
import type { SchemaName } from '@stratum/schemas';
import { parseFailpoints } from './failpoints';
import { startStage, type StageTopics } from './runner';
import type { OutputSchemas, StageDefinition } from './stage';

/** The variables every stage process reads (spread into the service's own defineConfig). */
export const stageProcessFragment = { ...kafkaFragment, ...schemaRegistryFragment, ...observabilityFragment, ...stageFragment };

type StageProcessConfig = ConfigOf<typeof stageProcessFragment>;

export interface StageProcessOptions<O extends OutputSchemas> {
  topics: StageTopics<O>;
  /** Extra /readyz checks (e.g. postgres); "kafka" (in the group, running) is always there. */
  readiness?: Record<string, ReadinessCheck>;
  /** Close the service's own pools and clients, after the stage stopped. */
  onStop?: () => Promise<void>;
  version?: string;
  /** The registry /metrics serves, when the service registers metrics of its own on it first (default: a new one). */
  registry?: Registry;
}

export interface StageProcess {
  readonly metricsUrl: string;
  /** Resolves with the exit code the process should end with (0 after a signal, 1 after a crash). */
  readonly exited: Promise<number>;
  stop(): Promise<void>;
}

/** Runs `stage` with `config`; installs signal handlers; calls `exit(code)` when it ends (default process.exit). */
export async function runStageProcess<I extends SchemaName, O extends OutputSchemas, V>(
  stage: StageDefinition<I, O, V>,
  config: StageProcessConfig,
  options: StageProcessOptions<O>,
  exit: (code: number) => void = (code) => process.exit(code),
): Promise<StageProcess> {
  const logger = createLogger({ service: config.SERVICE_NAME, level: config.LOG_LEVEL });
  const registry = options.registry ?? createMetricsRegistry({ service: config.SERVICE_NAME, version: options.version ?? '0.1.0' });
  const metrics = createStageMetrics(registry, { stage: stage.name });
  const running = await startStage(stage, {
    kafka: { brokers: config.KAFKA_BROKERS, clientId: config.KAFKA_CLIENT_ID },
    registryUrl: config.SCHEMA_REGISTRY_URL,
    groupId: config.STAGE_GROUP_ID,
    topics: options.topics,
    logger,
    metrics,
    batchSize: config.STAGE_BATCH_SIZE,
    partitionsConsumedConcurrently: config.STAGE_CONCURRENT_PARTITIONS,
    shutdownTimeoutMs: config.STAGE_SHUTDOWN_TIMEOUT_MS,
    sessionTimeoutMs: config.STAGE_SESSION_TIMEOUT_MS,
    failpoints: parseFailpoints(config.STAGE_FAILPOINTS),
    ...(options.onStop ? { onStop: options.onStop } : {}),
  });
  const health = await startHealthServer({
    port: config.METRICS_PORT,
    registry,
    logger,
    readiness: readinessFromChecks({ kafka: () => running.isReady(), ...options.readiness }),
  });
  logger.info({ metrics: `${health.url}/metrics` }, 'health and metrics endpoints up');

  let resolveExit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => (resolveExit = resolve));
  // The first ending decides the exit code: a crash while a signal's drain is under way stays 1.
  let ending: Promise<void> | null = null;
  const finish = (code: number) =>
    (ending ??= (async () => {
      await health.stop().catch(() => undefined);
      resolveExit(code);
      exit(code);
    })());
  const onSignal = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'stopping: draining the batch in flight');
    void running.stop().then(
      () => running.done.then(() => finish(0), () => finish(1)),
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  running.done.catch(() => finish(1));

  return {
    metricsUrl: `${health.url}/metrics`,
    exited,
    async stop() {
      await running.stop();
      await finish(0);
    },
  };
}
