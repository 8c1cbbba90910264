/**
 * Benchmark client, run as its own process so the broker and the client do not share an event
 * loop: produces or consumes with kafkajs and prints one JSON line with what it measured.
 *   tsx bench/broker/client.ts produce <bootstrap> <topic> <count> <size> <batch> <inflight>
 *   tsx bench/broker/client.ts consume <bootstrap> <topic> <count>
 */
import { Kafka, logLevel } from 'kafkajs';

const [mode, bootstrap, topic, countArg, sizeArg, batchArg, inflightArg] = process.argv.slice(2);
const count = Number(countArg);
const kafka = new Kafka({ clientId: 'bench', brokers: [bootstrap!], logLevel: logLevel.NOTHING });

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1e6;
}

async function produce(): Promise<void> {
  const size = Number(sizeArg);
  const batch = Number(batchArg);
  const inflight = Number(inflightArg);
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const value = Buffer.alloc(size, 'x');
  const messages = Array.from({ length: batch }, (_, i) => ({ key: String(i), value }));
  let sent = 0;
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  const worker = async () => {
    while (sent < count) {
      const n = Math.min(batch, count - sent);
      sent += n;
      await producer.send({ topic: topic!, acks: -1, messages: n === batch ? messages : messages.slice(0, n) });
    }
  };
  await Promise.all(Array.from({ length: inflight }, worker));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = cpuSeconds(cpuStart);
  await producer.disconnect();
  process.stdout.write(`${JSON.stringify({ mode, count, seconds, bytes: count * size, clientCpu: cpu / seconds })}\n`);
}

async function consume(): Promise<void> {
  // kafkajs defaults for fetch sizes (10 MB per fetch, 1 MB per partition).
  const consumer = kafka.consumer({ groupId: `bench-${Date.now()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic: topic!, fromBeginning: true });
  let got = 0;
  let bytes = 0;
  // The clock starts when the group is joined: fetch, decode and delivery are all counted.
  let start = 0n;
  let cpuStart = process.cpuUsage();
  consumer.on(consumer.events.GROUP_JOIN, () => {
    start = process.hrtime.bigint();
    cpuStart = process.cpuUsage();
  });
  const done = new Promise<void>((resolve) => {
    void consumer.run({
      autoCommit: true,
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) bytes += m.value?.length ?? 0;
        got += batch.messages.length;
        if (got >= count) resolve();
      },
    });
  });
  await done;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = cpuSeconds(cpuStart);
  await consumer.disconnect();
  process.stdout.write(`${JSON.stringify({ mode, count: got, seconds, bytes, clientCpu: cpu / seconds })}\n`);
}

await (mode === 'produce' ? produce() : consume());
process.exit(0);
