/**
 * The test stack: a Kafka and a schema registry (embedded, external or in containers, chosen by
 * `STRATUM_TEST_KAFKA`) with a connected kafkajs admin and a registry client.
 */
import type { Admin, Kafka } from 'kafkajs';
import { confluentRegistryClient, type RegistryClient } from '@stratum/schemas';
import { KAFKA_MODE_VAR, kafkaModeFrom, processEnv, type Env, type KafkaMode } from '../env';
import { HarnessError, messageOf } from '../errors';
import { lateBound } from '../late-bound';
import { testKafkaClient } from './client';
import { startEmbeddedKafka } from './embedded';
import type { StackEndpoints } from './endpoints';
import { useExternalKafka } from './external';
import { startContainerKafka } from './testcontainers';

/** Options of startTestStack / useTestStack. */
export interface TestStackOptions {
  /** Where `STRATUM_TEST_KAFKA`, `KAFKA_BROKERS`, ... are read from (default `process.env`). */
  env?: Env;
  /** Overrides `STRATUM_TEST_KAFKA`. */
  mode?: KafkaMode;
  /** kafkajs client id of `kafka` (default `stratum-test`). */
  clientId?: string;
  /** testcontainers mode: how long each container may take to start, image pull included (default 180 s). */
  startTimeoutMs?: number;
}

/** A running Kafka + schema registry for a test file, and clients for it. */
export interface TestStack {
  /** Which kind of Kafka this is. */
  readonly mode: KafkaMode;
  /** Bootstrap servers, `host:port`. */
  readonly brokers: string[];
  /** The schema registry's base URL, e.g. `http://127.0.0.1:41234`. */
  readonly registryUrl: string;
  /** A kafkajs client with quiet logs and fast retries: make producers and consumers from it. */
  readonly kafka: Kafka;
  /** A connected admin client (disconnected by `stop`). */
  readonly admin: Admin;
  /** A registry client for `createSerde(stack.registry, ...)`. */
  readonly registry: RegistryClient;
  /** Registers teardown that `stop` runs first, last registered first (unique topics use it). */
  onStop(cleanup: () => unknown): void;
  /** Runs the registered teardown, disconnects the admin and stops what this stack started; idempotent. */
  stop(): Promise<void>;
}

/** Starts (embedded, testcontainers) or connects to (external) a Kafka and registry for tests. */
export async function startTestStack(options: TestStackOptions = {}): Promise<TestStack> {
  const env = options.env ?? processEnv();
  const mode = options.mode ?? kafkaModeFrom(env);
  const endpoints = await endpointsFor(mode, env, options.startTimeoutMs ?? 180_000);
  const kafka = testKafkaClient(endpoints.brokers, options.clientId);
  const admin = kafka.admin();
  try {
    await admin.connect();
  } catch (err) {
    await endpoints.close();
    const source = mode === 'external' ? ' (KAFKA_BROKERS)' : '';
    throw new HarnessError('unreachable', `cannot reach Kafka at ${endpoints.brokers.join(',')}${source}: ${messageOf(err)}`, { cause: err });
  }
  const cleanups: (() => unknown)[] = [];
  let stopping: Promise<void> | undefined;
  const teardown = async () => {
    const failures: unknown[] = [];
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (err) {
        failures.push(err);
      }
    }
    await admin.disconnect();
    await endpoints.close();
    if (failures.length > 0) throw new HarnessError('cleanup_failed', `test stack teardown: ${failures.map(messageOf).join('; ')}`, { cause: failures[0] });
  };
  return {
    mode,
    brokers: endpoints.brokers,
    registryUrl: endpoints.registryUrl,
    kafka,
    admin,
    registry: confluentRegistryClient(endpoints.registryUrl),
    onStop: (cleanup) => void cleanups.push(cleanup),
    stop: () => (stopping ??= teardown()),
  };
}

function endpointsFor(mode: KafkaMode, env: Env, startTimeoutMs: number): Promise<StackEndpoints> {
  switch (mode) {
    case 'embedded':
      return startEmbeddedKafka();
    case 'external':
      return useExternalKafka(env);
    case 'testcontainers':
      return startContainerKafka(env, startTimeoutMs);
  }
}

/**
 * One test stack for the whole test file: starts it in beforeAll, stops it in afterAll. Read
 * the returned object's fields inside tests and hooks (reading them at describe time throws).
 */
export function useTestStack(options: TestStackOptions = {}): TestStack {
  const stack = lateBound<TestStack>('useTestStack()');
  const containers = (options.mode ?? (options.env ?? processEnv())[KAFKA_MODE_VAR]) === 'testcontainers';
  // Pulling images can outlast jest's default hook timeout; the embedded stack starts in well under a second.
  const hookTimeoutMs = containers ? 2 * (options.startTimeoutMs ?? 180_000) + 30_000 : undefined;
  beforeAll(async () => stack.set(await startTestStack(options)), hookTimeoutMs);
  afterAll(async () => stack.current()?.stop(), hookTimeoutMs);
  return stack.value;
}
