/**
 * Integration-test harness: a real @stratum/broker on a free port over a temp data dir, a kafkajs
 * admin to look at what apply did, and unique topic names so tests never share topics.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ConfigResourceTypes, Kafka, logLevel, type Admin } from 'kafkajs';
import { startBroker, silentLogger, type RunningBroker } from '@stratum/broker';
import type { TopicSpec } from '../src';

export interface TestKafka {
  broker: RunningBroker;
  admin: Admin;
  close(): Promise<void>;
}

/** A broker with auto-creation on (its default), so a test notices if apply auto-creates by asking. */
export async function startTestKafka(): Promise<TestKafka> {
  const dataDir = mkdtempSync(join(tmpdir(), 'stratum-topics-'));
  const broker = await startBroker({ port: 0, dataDir, flush: 'os', logger: silentLogger });
  const admin = new Kafka({ clientId: 'topics-test', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 3, initialRetryTime: 50 } }).admin();
  await admin.connect();
  return {
    broker,
    admin,
    async close() {
      await admin.disconnect();
      await broker.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Copies of catalogue topics under a unique prefix, so each test owns its topics. */
export function uniqueCopies(specs: readonly TopicSpec[]): TopicSpec[] {
  const prefix = `t${randomBytes(4).toString('hex')}`;
  return specs.map((t) => ({ ...t, name: `${prefix}.${t.name}` }));
}

/** Partition count and effective configs of a topic, as a client sees them. */
export async function describeTopic(admin: Admin, name: string): Promise<{ partitions: number; configs: Record<string, string | null> }> {
  const [meta] = (await admin.fetchTopicMetadata({ topics: [name] })).topics;
  const described = await admin.describeConfigs({ resources: [{ type: ConfigResourceTypes.TOPIC, name }], includeSynonyms: false });
  const configs = Object.fromEntries(described.resources[0]!.configEntries.map((e) => [e.configName, e.configValue ?? null]));
  return { partitions: meta!.partitions.length, configs };
}
