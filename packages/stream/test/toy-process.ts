/** Runs the toy stage (toy-stage.ts) as a real child process against a test stack. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { TestStack } from '@stratum/testing';

const fixture = join(__dirname, 'toy-stage.ts');

export interface ToyTopics {
  input: string;
  output: string;
  invalid: string;
}

export interface ToyProcess {
  child: ChildProcess;
  /** Exit code (null when killed by a signal) once the process is gone. */
  exit: Promise<number | null>;
  stdout(): string;
  stderr(): string;
  /** The /metrics URL, from the log line the stage prints once it is up. */
  metricsUrl(): string | null;
}

export function startToy(stack: TestStack, topics: ToyTopics, groupId: string, env: Record<string, string> = {}): ToyProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
    env: {
      PATH: process.env.PATH ?? '',
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
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return {
    child,
    exit,
    stdout: () => out,
    stderr: () => err,
    metricsUrl: () => /"metrics":"([^"]+)"/.exec(out)?.[1] ?? null,
  };
}
