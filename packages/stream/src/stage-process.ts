/**
 * A stage as a process: what every service's main.ts calls after parsing its config. Logger,
 * metrics registry, /metrics /healthz /readyz, the stage itself, SIGTERM/SIGINT → drain and exit 0,
 * a crash → exit 1 so the supervisor (docker, Kubernetes, `pnpm start`) restarts it.
 */
import { kafkaFragment, observabilityFragment, schemaRegistryFragment, stageFragment, type ConfigOf } from '@stratum/config';
import { createLogger, createMetricsRegistry, createStageMetrics, readinessFromChecks, startHealthServer, type ReadinessCheck, type Registry } from '@stratum/observability';
import type { SchemaName } from '@stratum/schemas';
import { parseFailpoints } from './failpoints';
import { startStage, type RunningStage, type StageTopics } from './runner';
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

/** One stage of a process that runs several (the delivery-adapter reads two topics of different schemas). */
export interface StageRun {
  // The stage's schema types do not matter here; each run is checked where it is defined.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly stage: StageDefinition<any, any, any>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly topics: StageTopics<any>;
  /** Its consumer group; default STAGE_GROUP_ID. Stages of one process need distinct groups. */
  readonly groupId?: string;
  /** Records per chunk for this stage; default STAGE_BATCH_SIZE. */
  readonly batchSize?: number;
}

/** Runs `stage` with `config`; installs signal handlers; calls `exit(code)` when it ends (default process.exit). */
export async function runStageProcess<I extends SchemaName, O extends OutputSchemas, V>(
  stage: StageDefinition<I, O, V>,
  config: StageProcessConfig,
  options: StageProcessOptions<O>,
  exit: (code: number) => void = (code) => process.exit(code),
): Promise<StageProcess> {
  const { topics, ...rest } = options;
  return runStagesProcess([{ stage, topics }], config, rest, exit);
}

/**
 * Runs several stages in one process behind one /metrics, /healthz and /readyz (ready when every
 * stage is in its group). A crash of any stage ends the process (exit 1); a signal drains them all.
 */
export async function runStagesProcess(
  runs: readonly StageRun[],
  config: StageProcessConfig,
  options: Omit<StageProcessOptions<OutputSchemas>, 'topics'>,
  exit: (code: number) => void = (code) => process.exit(code),
): Promise<StageProcess> {
  const logger = createLogger({ service: config.SERVICE_NAME, level: config.LOG_LEVEL });
  const registry = options.registry ?? createMetricsRegistry({ service: config.SERVICE_NAME, version: options.version ?? '0.1.0' });
  const groups = new Set(runs.map((r) => r.groupId ?? config.STAGE_GROUP_ID));
  if (groups.size !== runs.length) throw new Error('every stage of a process needs its own consumer group');
  const running: RunningStage[] = [];
  for (const [i, run] of runs.entries()) {
    running.push(
      await startStage(run.stage, {
        kafka: { brokers: config.KAFKA_BROKERS, clientId: config.KAFKA_CLIENT_ID },
        registryUrl: config.SCHEMA_REGISTRY_URL,
        groupId: run.groupId ?? config.STAGE_GROUP_ID,
        topics: run.topics,
        logger: runs.length > 1 ? logger.child({ stage: run.stage.name }) : logger,
        metrics: createStageMetrics(registry, { stage: run.stage.name }),
        batchSize: run.batchSize ?? config.STAGE_BATCH_SIZE,
        partitionsConsumedConcurrently: config.STAGE_CONCURRENT_PARTITIONS,
        shutdownTimeoutMs: config.STAGE_SHUTDOWN_TIMEOUT_MS,
        sessionTimeoutMs: config.STAGE_SESSION_TIMEOUT_MS,
        failpoints: parseFailpoints(config.STAGE_FAILPOINTS),
        // The service's own pools close once, after the last stage stopped.
        ...(options.onStop && i === runs.length - 1 ? { onStop: options.onStop } : {}),
      }),
    );
  }
  const stopAll = async () => {
    // The others together (each waits up to a fetch for its consumer to leave the group, ~5 s), then
    // the last: it holds onStop (the pools), which the others may still be using until they stopped.
    const last = running.at(-1);
    await Promise.all(running.slice(0, -1).map((r) => r.stop()));
    await last?.stop();
  };
  const done = Promise.all(running.map((r) => r.done)).then(() => undefined);
  const health = await startHealthServer({
    port: config.METRICS_PORT,
    registry,
    logger,
    readiness: readinessFromChecks({ kafka: () => running.every((r) => r.isReady()), ...options.readiness }),
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
    void stopAll().then(
      () => done.then(() => finish(0), () => finish(1)),
      () => finish(1),
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  for (const r of running) {
    r.done.catch(() => {
      // One stage crashed: stop the others (their batches are replayed by the next instance).
      void stopAll().finally(() => finish(1));
    });
  }

  return {
    metricsUrl: `${health.url}/metrics`,
    exited,
    async stop() {
      await stopAll();
      await finish(0);
    },
  };
}
