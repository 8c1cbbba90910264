/**
 * `pnpm bench stage`: records/s through a pass-through stage on the runtime (consume → decode →
 * steps → encode → produce acks=all → commit) against the same work written directly on kafkajs
 * (eachBatch, decode, encode, sendBatch, commitOffsets) without the runtime, in the same run,
 * alternating A/B/A/B on fresh topics. The broker runs in its own process (flush=os, so fsync
 * latency does not hide the client cost); the clients run here. Rate is measured from the first
 * output record to the last, so group joins are not counted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import kafkajs from 'kafkajs';
import { startSchemaRegistry } from '@stratum/schema-registry';
import { confluentRegistryClient, createReader, createSerde, exampleRecords, type RawEvent } from '@stratum/schemas';
import { createMetricsRegistry, createStageMetrics, silentLogger } from '@stratum/observability';
import { defineStage, ok, pipeline, recordStep, startStage } from '@stratum/stream';
import { startBrokerProcess, stopBrokerProcess } from '../broker-process';

const { Kafka, logLevel } = kafkajs;
const COUNT = Number(process.env.BENCH_COUNT ?? 50_000);
const PARTITIONS = 6;

const passThrough = defineStage({
  name: 'pass-through',
  input: 'events.raw',
  outputs: { out: 'events.raw' },
  pipeline: pipeline<RawEvent>().then(recordStep('pass', (e: RawEvent) => ok(e))),
  emit: (e) => [{ output: 'out', key: `${e.tenantId}:${e.messageId}`, value: e }],
});

const dataDir = mkdtempSync(join(tmpdir(), 'stratum-bench-stage-'));
const { child, bootstrap } = await startBrokerProcess(dataDir, 'os');
const registry = await startSchemaRegistry({ brokers: [bootstrap], port: 0 });
const kafka = new Kafka({ clientId: 'bench-stage', brokers: [bootstrap], logLevel: logLevel.NOTHING });
const admin = kafka.admin();
await admin.connect();
const client = confluentRegistryClient(registry.url);

async function outputCount(topic: string): Promise<number> {
  return (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high), 0);
}

/** Waits for `topic` to hold COUNT records; records/s from the first output to the last. */
async function rateOf(topic: string): Promise<number> {
  let first: { at: number; count: number } | null = null;
  for (;;) {
    const n = await outputCount(topic);
    if (n > 0 && !first) first = { at: performance.now(), count: n };
    if (n >= COUNT) return ((n - first!.count) * 1000) / (performance.now() - first!.at);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Fresh input (filled with COUNT events) and output topics. */
async function topics(label: string): Promise<{ input: string; output: string }> {
  const t = { input: `bench-${label}-in-${Date.now()}`, output: `bench-${label}-out-${Date.now()}` };
  await admin.createTopics({ topics: [t.input, t.output].map((topic) => ({ topic, numPartitions: PARTITIONS })) });
  const serde = await createSerde(client, 'events.raw', `${t.input}-value`);
  const producer = kafka.producer();
  await producer.connect();
  for (let i = 0; i < COUNT; i += 1000) {
    const messages = Array.from({ length: Math.min(1000, COUNT - i) }, (_, j) => {
      const e = { ...exampleRecords['events.raw'], messageId: `m-${i + j}` };
      return { key: `${e.tenantId}:${e.messageId}`, value: serde.encode(e) };
    });
    await producer.send({ topic: t.input, messages, acks: -1 });
  }
  await producer.disconnect();
  return t;
}

/** The same work as the runtime, written directly on kafkajs. */
async function runRaw(t: { input: string; output: string }): Promise<number> {
  const reader = await createReader(client, 'events.raw', `${t.input}-value`);
  const writer = await createSerde(client, 'events.raw', `${t.output}-value`);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const consumer = kafka.consumer({ groupId: `raw-${Date.now()}`, maxBytesPerPartition: 1024 * 1024 });
  await producer.connect();
  await consumer.connect();
  await consumer.subscribe({ topic: t.input, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, resolveOffset }) => {
      for (let i = 0; i < batch.messages.length; i += 500) {
        const chunk = batch.messages.slice(i, i + 500);
        const messages = [];
        for (const m of chunk) {
          const e = await reader.decode(m.value!);
          messages.push({ key: `${e.tenantId}:${e.messageId}`, value: writer.encode(e) });
        }
        await producer.sendBatch({ acks: -1, topicMessages: [{ topic: t.output, messages }] });
        const last = chunk[chunk.length - 1]!.offset;
        await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() }]);
        resolveOffset(last);
      }
    },
  });
  const rate = await rateOf(t.output);
  await consumer.disconnect();
  await producer.disconnect();
  return rate;
}

async function runStage(t: { input: string; output: string }): Promise<number> {
  const metrics = createStageMetrics(createMetricsRegistry({ service: 'bench', version: '0', processMetrics: false }), { stage: 'pass-through' });
  const stage = await startStage(passThrough, {
    kafka: { brokers: [bootstrap], clientId: 'bench-stage' },
    registryUrl: registry.url,
    groupId: `stage-${Date.now()}`,
    topics: { input: t.input, outputs: { out: t.output } },
    logger: silentLogger(),
    metrics,
  });
  const rate = await rateOf(t.output);
  await stage.stop();
  return rate;
}

try {
  process.stdout.write(`broker ${bootstrap} in its own process (flush=os), ${COUNT} events.raw records (${(await createSerde(client, 'events.raw')).encode(exampleRecords['events.raw']).length} B framed) per run, ${PARTITIONS} partitions, acks=all\n\n`);
  const raw: number[] = [];
  const stage: number[] = [];
  for (let round = 0; round < 3; round++) {
    raw.push(await runRaw(await topics('raw')));
    stage.push(await runStage(await topics('stage')));
  }
  const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
  process.stdout.write('| variant | records/s per run | best |\n|---|---|---|\n');
  process.stdout.write(`| raw kafkajs (decode, encode, sendBatch, commit) | ${raw.map(fmt).join(', ')} | ${fmt(Math.max(...raw))} |\n`);
  process.stdout.write(`| @stratum/stream pass-through stage | ${stage.map(fmt).join(', ')} | ${fmt(Math.max(...stage))} |\n`);
  process.stdout.write(`\nruntime / raw: ${(median(stage) / median(raw)).toFixed(2)} (medians), ${(Math.max(...stage) / Math.max(...raw)).toFixed(2)} (best runs); target ≥ 0.85\n`);
} finally {
  await admin.disconnect();
  await registry.stop();
  await stopBrokerProcess(child);
  rmSync(dataDir, { recursive: true, force: true });
}
