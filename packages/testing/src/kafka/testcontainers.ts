/**
 * `testcontainers` mode: Apache Kafka (KRaft, one node) and Confluent Schema Registry in Docker,
 * through the `testcontainers` package, which is loaded only in this mode.
 */
import type * as Testcontainers from 'testcontainers';
import type { StartedTestContainer } from 'testcontainers';
import type { Env } from '../env';
import { HarnessError, messageOf } from '../errors';
import { closedPort } from '../ports';
import { findDockerEndpoint } from './docker-endpoint';
import type { StackEndpoints } from './endpoints';

/** Images used unless `STRATUM_TEST_KAFKA_IMAGE` / `STRATUM_TEST_REGISTRY_IMAGE` say otherwise. */
export const DEFAULT_CONTAINER_IMAGES = {
  // 3.9, not 4.x: Kafka 4.0 removed old protocol versions (KIP-896), and kafkajs 2.2.4 has not been checked against it.
  kafka: 'apache/kafka:3.9.1',
  registry: 'confluentinc/cp-schema-registry:7.9.1',
} as const;

const KAFKA_ALIAS = 'kafka';
const INTERNAL_LISTENER = `${KAFKA_ALIAS}:19092`;

/** Starts both containers on a private network; `close` stops them and removes the network. */
export async function startContainerKafka(env: Env, startTimeoutMs: number): Promise<StackEndpoints> {
  const lookup = findDockerEndpoint(env);
  if (lookup.found === null) throw noDocker(`DOCKER_HOST is not set and none of ${lookup.looked.slice(1).join(', ')} exists`);
  const tc = await loadTestcontainers();
  let host: string;
  try {
    host = (await tc.getContainerRuntimeClient()).info.containerRuntime.host;
  } catch (err) {
    throw noDocker(`tried ${lookup.found}: ${messageOf(err)}`, err);
  }
  const started: { stop(): Promise<unknown> }[] = [];
  const close = async () => {
    for (const s of started.reverse()) await s.stop().catch(() => undefined);
  };
  try {
    const network = await new tc.Network().start();
    started.push(network);
    // Kafka advertises the address clients must use, so the host-side port is chosen before start.
    const kafkaPort = await closedPort();
    const kafka = await new tc.GenericContainer(env['STRATUM_TEST_KAFKA_IMAGE'] ?? DEFAULT_CONTAINER_IMAGES.kafka)
      .withNetwork(network)
      .withNetworkAliases(KAFKA_ALIAS)
      .withExposedPorts({ container: 9092, host: kafkaPort })
      .withEnvironment(kraftEnvironment(`${host}:${kafkaPort}`))
      .withWaitStrategy(tc.Wait.forLogMessage(/Kafka Server started/))
      .withStartupTimeout(startTimeoutMs)
      .start();
    started.push(kafka);
    const registry = await new tc.GenericContainer(env['STRATUM_TEST_REGISTRY_IMAGE'] ?? DEFAULT_CONTAINER_IMAGES.registry)
      .withNetwork(network)
      .withExposedPorts(8081)
      .withEnvironment({
        SCHEMA_REGISTRY_HOST_NAME: 'schema-registry',
        SCHEMA_REGISTRY_LISTENERS: 'http://0.0.0.0:8081',
        SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS: `PLAINTEXT://${INTERNAL_LISTENER}`,
      })
      .withWaitStrategy(tc.Wait.forHttp('/subjects', 8081))
      .withStartupTimeout(startTimeoutMs)
      .start();
    started.push(registry);
    return { brokers: [`${host}:${kafkaPort}`], registryUrl: urlOf(registry), close };
  } catch (err) {
    await close();
    throw new HarnessError('start_failed', `testcontainers: Kafka or the schema registry did not start: ${messageOf(err)}`, { cause: err });
  }
}

/** A single KRaft node: clients on 9092 (advertised as `external`), the registry on the Docker network. */
function kraftEnvironment(external: string): Record<string, string> {
  return {
    KAFKA_NODE_ID: '1',
    KAFKA_PROCESS_ROLES: 'broker,controller',
    KAFKA_LISTENERS: 'PLAINTEXT://0.0.0.0:9092,BROKER://0.0.0.0:19092,CONTROLLER://0.0.0.0:9093',
    KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://${external},BROKER://${INTERNAL_LISTENER}`,
    KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'PLAINTEXT:PLAINTEXT,BROKER:PLAINTEXT,CONTROLLER:PLAINTEXT',
    KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
    KAFKA_INTER_BROKER_LISTENER_NAME: 'BROKER',
    KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
    KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
    KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
    KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
    KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
  };
}

function urlOf(container: StartedTestContainer): string {
  return `http://${container.getHost()}:${container.getMappedPort(8081)}`;
}

function noDocker(why: string, cause?: unknown): HarnessError {
  return new HarnessError(
    'no_docker',
    `STRATUM_TEST_KAFKA=testcontainers needs a Docker engine (or a compatible one: Podman, Colima, Rancher Desktop) and no Docker engine is reachable (${why}). ` +
      'Start one or point DOCKER_HOST at it, or leave STRATUM_TEST_KAFKA unset to use the embedded broker, which needs no Docker.',
    { cause },
  );
}

/** The package is needed only in this mode, so only this mode loads it. */
async function loadTestcontainers(): Promise<typeof Testcontainers> {
  try {
    return await import('testcontainers');
  } catch (err) {
    // Pinned to 11.x: 12 depends on undici 8, which needs Node >= 22.19 (zlib zstd).
    throw new HarnessError('start_failed', `STRATUM_TEST_KAFKA=testcontainers cannot load the testcontainers package on Node ${process.versions.node}: ${messageOf(err)}`, { cause: err });
  }
}
