/**
 * The stage side of `pnpm bench ingest` (bench/ingest/ingest.ts starts the broker and registry and
 * runs this as a child process: bench code may not import a service). In this process, on the
 * runtime (startStage): the ingest stage and a pass-through stage (raw → raw, no work), alternating
 * A/B per round, each over the same pre-produced input topic with a fresh group and output. Prints
 * one `RESULT <json>` line.
 *
 * Environment: BENCH_BROKERS, BENCH_REGISTRY_URL (required), BENCH_COUNT (50000), BENCH_ROUNDS (3),
 * BENCH_PARTITIONS (6).
 */
import { createMetricsRegistry, createStageMetrics, silentLogger } from '@stratum/observability';
import { confluentRegistryClient, createSerde, exampleRecords, type RawEvent } from '@stratum/schemas';
import { defineStage, ok, pipeline, recordStep, startStage, type StageDefinition } from '@stratum/stream';
import { inMemoryDirectory, sourceSettings, type TrackingPlan } from '@stratum/tenancy';
import { testKafkaClient } from '@stratum/testing';
import { ingestStage } from '../src/pipeline';

const env = (name: string, fallback?: string): string => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) throw new Error(`${name} is required`);
  return value;
};
const brokers = env('BENCH_BROKERS').split(',');
const registryUrl = env('BENCH_REGISTRY_URL');
const COUNT = Number(env('BENCH_COUNT', '50000'));
const ROUNDS = Number(env('BENCH_ROUNDS', '3'));
const PARTITIONS = Number(env('BENCH_PARTITIONS', '6'));

const example = exampleRecords['events.raw'];
// The tracking plan validates the example's Order Completed properties with ajv on every event.
const plan: TrackingPlan = {
  mode: 'allow',
  defaultSchemaVersion: '1.0.0',
  events: [
    {
      type: 'track',
      name: 'Order Completed',
      version: '1.0.0',
      schema: {
        type: 'object',
        properties: { order_id: { type: 'string' }, total: { type: 'number', minimum: 0 }, currency: { type: 'string', pattern: '^[A-Z]{3}$' }, products: { type: 'array', items: { type: 'object', required: ['product_id'] } } },
        required: ['order_id', 'total'],
      },
    },
  ],
};
const directory = inMemoryDirectory([{ settings: sourceSettings({ tenantId: example.tenantId, sourceId: example.sourceId, trackingPlan: plan }), writeKeys: [] }]);

const passThrough = defineStage({
  name: 'pass-through',
  input: 'events.raw',
  outputs: { valid: 'events.raw', invalid: 'events.invalid' },
  quarantine: 'invalid',
  pipeline: pipeline<RawEvent>().then(recordStep('pass', (e: RawEvent) => ok(e))),
  emit: (e) => [{ output: 'valid', key: `${e.tenantId}:${e.messageId}`, value: e }],
});

const kafka = testKafkaClient(brokers, 'bench-ingest');
const admin = kafka.admin();
await admin.connect();
const registry = confluentRegistryClient(registryUrl);
const stamp = Date.now();

async function endOffsets(topic: string): Promise<number> {
  return (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high), 0);
}

/** The input topic, filled once with COUNT raw events (distinct messageIds and users). */
async function fillInput(): Promise<string> {
  const topic = `bench-ingest-in-${stamp}`;
  await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }] });
  const serde = await createSerde(registry, 'events.raw', 'events.raw-value');
  const producer = kafka.producer();
  await producer.connect();
  for (let i = 0; i < COUNT; i += 1000) {
    const messages = Array.from({ length: Math.min(1000, COUNT - i) }, (_, j) => {
      const e: RawEvent = { ...example, messageId: `m-${i + j}`, userId: `user-${(i + j) % 5000}` };
      return { key: `${e.tenantId}:${e.messageId}`, value: serde.encode(e) };
    });
    await producer.send({ topic, messages, acks: -1 });
  }
  await producer.disconnect();
  return topic;
}

interface Run {
  /** Records/s from the first output record to the last (group join not counted). */
  rate: number;
  /** Seconds from starting the stage to the last output. */
  totalSeconds: number;
  invalid: number;
}

async function runVariant<O extends { valid: 'events.raw' | 'events.valid'; invalid: 'events.invalid' }, V>(label: string, stage: StageDefinition<'events.raw', O, V>, input: string, round: number): Promise<Run> {
  const output = `bench-ingest-${label}-${round}-${stamp}`;
  const invalid = `${output}-invalid`;
  await admin.createTopics({ topics: [output, invalid].map((topic) => ({ topic, numPartitions: PARTITIONS })) });
  const metrics = createStageMetrics(createMetricsRegistry({ service: 'bench', version: '0', processMetrics: false }), { stage: label });
  const started = performance.now();
  const running = await startStage(stage, {
    kafka: { brokers, clientId: `bench-${label}` },
    registryUrl,
    groupId: `bench-${label}-${round}-${stamp}`,
    topics: { input, outputs: { valid: output, invalid } as { [K in keyof O]: string } },
    logger: silentLogger(),
    metrics,
  });
  let first: { at: number; count: number } | null = null;
  for (;;) {
    const n = (await endOffsets(output)) + (await endOffsets(invalid));
    if (n > 0 && !first) first = { at: performance.now(), count: n };
    if (n >= COUNT) {
      const end = performance.now();
      const result = { rate: ((n - first!.count) * 1000) / Math.max(1, end - first!.at), totalSeconds: (end - started) / 1000, invalid: await endOffsets(invalid) };
      await running.stop();
      return result;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

try {
  const input = await fillInput();
  const ingest = ingestStage({ directory });
  const results: { passThrough: Run[]; ingest: Run[] } = { passThrough: [], ingest: [] };
  for (let round = 0; round < ROUNDS; round++) {
    results.passThrough.push(await runVariant('pass-through', passThrough, input, round));
    process.stderr.write(`round ${round + 1}: pass-through ${Math.round(results.passThrough.at(-1)!.rate)} records/s\n`);
    results.ingest.push(await runVariant('ingest', ingest, input, round));
    process.stderr.write(`round ${round + 1}: ingest ${Math.round(results.ingest.at(-1)!.rate)} records/s\n`);
  }
  const bytes = (await createSerde(registry, 'events.raw', 'events.raw-value')).encode(example).length;
  process.stdout.write(`RESULT ${JSON.stringify({ count: COUNT, partitions: PARTITIONS, bytes, ...results })}\n`);
} finally {
  await admin.disconnect();
}
