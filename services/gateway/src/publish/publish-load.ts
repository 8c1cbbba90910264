/**
 * A load probe for `pnpm bench gateway` (benches may not import services, so it runs this file
 * as a child process): publishes RawEvents as fast as `concurrency` callers can, for a while,
 * either through the coalescing publisher or the naive way (one produce request per publish,
 * concurrent, same producer settings), and prints one JSON line with what it measured.
 * Not part of the running service.
 *
 *   node --import tsx src/publish/publish-load.ts <coalesced|per-request> <brokers> <registryUrl> <topic> <concurrency> <eventsPerPublish> <durationMs>
 */
import { silentLogger } from '@stratum/observability';
import { confluentRegistryClient, createSerde, exampleRecords, type RawEvent } from '@stratum/schemas';
import { createKafka } from '@stratum/stream';
import { createKafkaPublisher } from './kafka-publisher';
import { Murmur2Partitioner } from './murmur2-partitioner';

const [mode, brokers, registryUrl, topic, concurrencyArg, perPublishArg, durationArg] = process.argv.slice(2);
if (mode !== 'coalesced' && mode !== 'per-request') throw new Error('usage: publish-load.ts <coalesced|per-request> <brokers> <registryUrl> <topic> <concurrency> <eventsPerPublish> <durationMs>');
const concurrency = Number(concurrencyArg);
const perPublish = Number(perPublishArg);
const durationMs = Number(durationArg);
const connection = { brokers: brokers!.split(','), clientId: `publish-load-${mode}` };
const logger = silentLogger();

let produceRequests = 0;
let publish: (events: RawEvent[]) => Promise<void>;
let close: () => Promise<void>;
if (mode === 'coalesced') {
  const publisher = createKafkaPublisher({ kafka: connection, registryUrl: registryUrl!, topic: topic!, subject: 'events.raw-value', logger, observer: { onSend: () => void produceRequests++ } });
  await publisher.whenReady();
  publish = (events) => publisher.publish(events);
  close = () => publisher.close();
} else {
  const serde = await createSerde(confluentRegistryClient(registryUrl!), 'events.raw', 'events.raw-value');
  const producer = createKafka(connection, logger).producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Murmur2Partitioner, allowAutoTopicCreation: false });
  await producer.connect();
  publish = async (events) => {
    produceRequests++;
    await producer.sendBatch({ acks: -1, topicMessages: [{ topic: topic!, messages: events.map((e) => ({ key: Buffer.from(`${e.tenantId}:${e.messageId}`), value: serde.encode(e) })) }] });
  };
  close = () => producer.disconnect();
}

let sequence = 0;
const nextEvents = (): RawEvent[] => Array.from({ length: perPublish }, () => ({ ...exampleRecords['events.raw'], messageId: `load-${process.pid}-${sequence++}` }));
const latencies: number[] = [];
const cpuBefore = process.cpuUsage();
const started = performance.now();
const until = started + durationMs;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (performance.now() < until) {
      const events = nextEvents();
      const t0 = performance.now();
      await publish(events);
      latencies.push(performance.now() - t0);
    }
  }),
);
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
await close();
latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? Number.NaN;
process.stdout.write(
  `${JSON.stringify({ mode, concurrency, perPublish, publishes: latencies.length, events: latencies.length * perPublish, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, produceRequests, p50Ms: pct(50), p99Ms: pct(99) })}\n`,
);
