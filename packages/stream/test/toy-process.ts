/** Runs the toy stage (toy-stage.ts) as a real child process against a test stack. */
import { join } from 'node:path';
import { metricsUrlFrom, spawnTsProcess, type TestStack, type TsProcess } from '@stratum/testing';

const fixture = join(__dirname, 'toy-stage.ts');

export interface ToyTopics {
  input: string;
  output: string;
  invalid: string;
}

export interface ToyProcess extends TsProcess {
  /** The /metrics URL, from the log line the stage prints once it is up. */
  metricsUrl(): string | null;
}

export function startToy(stack: TestStack, topics: ToyTopics, groupId: string, env: Record<string, string> = {}): ToyProcess {
  const p = spawnTsProcess(fixture, {
    KAFKA_BROKERS: stack.brokers.join(','),
    KAFKA_CLIENT_ID: 'toy',
    SCHEMA_REGISTRY_URL: stack.registryUrl,
    SERVICE_NAME: 'toy',
    LOG_LEVEL: 'info',
    METRICS_PORT: '0',
    STAGE_GROUP_ID: groupId,
    STAGE_BATCH_SIZE: '50',
    STAGE_SHUTDOWN_TIMEOUT_MS: '10000',
    // Short, so a SIGKILLed instance's partitions move on quickly.
    STAGE_SESSION_TIMEOUT_MS: '6000',
    TOY_INPUT: topics.input,
    TOY_OUTPUT: topics.output,
    TOY_INVALID: topics.invalid,
    ...env,
  });
  return { ...p, metricsUrl: () => metricsUrlFrom(p.stdout()) };
}
