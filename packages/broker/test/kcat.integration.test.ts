/**
 * librdkafka (2.0.2, through kcat) against the broker, as an independent second client next to
 * kafkajs: metadata, produce (keys, headers, gzip) read back exactly by kafkajs, kafkajs records
 * read back exactly by kcat from every kind of start offset, the balanced consumer (-G) with two
 * members sharing partitions and committing on exit, and the protocol versions librdkafka
 * negotiates (ApiVersions v3 without a fallback, Produce v7, Fetch v11).
 */
import { kcat, spawnKcat, type KcatProcess } from './kcat';
import { RawClient } from './raw-client';
import { uniqueName, useSharedBroker, waitFor } from './helpers';
import { ErrorCode } from '../src/protocol/error-codes';
import { Attr } from '../src/log/record-batch';

jest.setTimeout(20_000);

const shared = useSharedBroker();
const bootstrap = () => shared.tb.broker.bootstrap;

async function createTopic(prefix: string, numPartitions: number): Promise<string> {
  const topic = uniqueName(prefix);
  await shared.admin.createTopics({ topics: [{ topic, numPartitions }], waitForLeaders: true });
  return topic;
}

/** Runs kcat and fails with its stderr unless it exits 0. */
async function kcatOk(args: string[], input?: string, timeoutMs = 10_000): Promise<{ stdout: string; stderr: string }> {
  const res = await kcat(['-b', bootstrap(), ...args], input, timeoutMs);
  if (res.code !== 0) throw new Error(`kcat ${args.join(' ')} exited ${res.code}: ${res.stderr}`);
  return res;
}

const lines = (s: string) => s.split('\n').filter((l) => l.length > 0);

describe('kcat -L', () => {
  it('lists a topic with its partitions, led by this broker', async () => {
    const topic = await createTopic('kl', 3);
    const { stdout } = await kcatOk(['-L', '-J', '-t', topic]);
    const md = JSON.parse(stdout) as {
      controllerid: number;
      brokers: { id: number; name: string }[];
      topics: { topic: string; error?: string; partitions: { partition: number; leader: number; replicas: { id: number }[]; isrs: { id: number }[] }[] }[];
    };
    expect(md.controllerid).toBe(0);
    expect(md.brokers).toEqual([{ id: 0, name: bootstrap() }]);
    expect(md.topics).toEqual([
      {
        topic,
        partitions: [0, 1, 2].map((partition) => ({ partition, leader: 0, replicas: [{ id: 0 }], isrs: [{ id: 0 }] })),
      },
    ]);

    const plain = await kcatOk(['-L']);
    expect(plain.stdout).toContain(`broker 0 at ${bootstrap()} (controller)`);
    expect(plain.stdout).toContain(`topic "${topic}" with 3 partitions:`);
  });
});

describe('kcat -P, read back by kafkajs', () => {
  it('keys (-K:), headers (-H) and gzip (-z gzip) arrive exactly, stored gzip-compressed as sent', async () => {
    const topic = await createTopic('kp', 1);
    const input = Array.from({ length: 60 }, (_, i) => `key-${i}:value ${i} ${'x'.repeat(i)}`);
    await kcatOk(['-P', '-t', topic, '-p', '0', '-K:', '-H', 'source=kcat', '-H', 'n=2', '-z', 'gzip'], `${input.join('\n')}\n`);

    const consumer = shared.tb.kafka.consumer({ groupId: uniqueName('kjs'), maxWaitTimeInMs: 100 });
    const got: { offset: string; key: string; value: string; headers: Record<string, string> }[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) =>
          void got.push({
            offset: message.offset,
            key: message.key!.toString(),
            value: message.value!.toString(),
            headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])),
          }),
      });
      await waitFor(() => got.length >= input.length, 10_000, 'kafkajs to read every kcat record');
    } finally {
      await consumer.disconnect();
    }
    expect(got).toEqual(
      input.map((line, i) => {
        const [key, value] = [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1)];
        return { offset: String(i), key, value, headers: { source: 'kcat', n: '2' } };
      }),
    );

    // The broker stores batches as received: the codec bits still say gzip.
    const raw = await RawClient.connect(shared.tb.broker.port);
    try {
      const r = await raw.request(1, 11, (w) => {
        w.int32(-1).int32(0).int32(1).int32(1 << 20).int8(0).int32(0).int32(-1);
        w.array([0], (w) => w.string(topic).array([0], (w) => w.int32(0).int32(-1).int64(0).int64(-1).int32(1 << 20)));
        w.array([], () => undefined).string('');
      });
      r.int32();
      expect(r.int16()).toBe(ErrorCode.NONE);
      r.int32();
      r.int32();
      r.string();
      r.int32();
      r.int32();
      expect(r.int16()).toBe(ErrorCode.NONE);
      r.int64();
      r.int64();
      r.int64();
      r.nullableArray(() => undefined);
      r.int32();
      const records = r.bytes()!;
      const codecs: number[] = [];
      for (let at = 0; at + 61 <= records.length; at += 12 + records.readInt32BE(at + 8)) codecs.push(records.readInt16BE(at + 21) & Attr.CODEC_MASK);
      // librdkafka sends a batch uncompressed when gzip would not make it smaller (a lone first line).
      expect(codecs).toContain(1);
      expect(codecs.every((c) => c === 0 || c === 1)).toBe(true);
    } finally {
      raw.close();
    }
  });

  it('keyed lines without -p spread over partitions by key, each key in one partition', async () => {
    const topic = await createTopic('kpk', 3);
    const input = Array.from({ length: 90 }, (_, i) => `k${i % 9}:v${i}`);
    await kcatOk(['-P', '-t', topic, '-K:'], `${input.join('\n')}\n`);
    const { stdout } = await kcatOk(['-C', '-t', topic, '-e', '-f', '%k %s %p\n']);
    const rows = lines(stdout).map((l) => l.split(' '));
    expect(rows.map(([, v]) => v).sort()).toEqual(input.map((l) => l.split(':')[1]).sort());
    const partitionOf = new Map<string, string>();
    for (const [k, , p] of rows) {
      expect(partitionOf.get(k!) ?? p).toBe(p);
      partitionOf.set(k!, p!);
    }
    // Per key, kcat sees its own produce order.
    for (let k = 0; k < 9; k++) {
      expect(rows.filter(([key]) => key === `k${k}`).map(([, v]) => v)).toEqual(input.filter((l) => l.startsWith(`k${k}:`)).map((l) => l.split(':')[1]));
    }
  });
});

describe('librdkafka idempotent and transactional producers, read back by kafkajs', () => {
  async function readAll(topic: string, count: number): Promise<string[]> {
    // kafkajs consumers read READ_COMMITTED by default: only committed transactional records.
    const consumer = shared.tb.kafka.consumer({ groupId: uniqueName('kjs'), maxWaitTimeInMs: 100 });
    const got: string[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => void got.push(`${message.offset} ${message.value!.toString()}`) });
      await waitFor(() => got.length >= count, 10_000, `kafkajs to read ${count} records`);
      await new Promise((r) => setTimeout(r, 200)); // and nothing more
    } finally {
      await consumer.disconnect();
    }
    return got;
  }

  it('enable.idempotence: every record exactly once', async () => {
    const topic = await createTopic('kidem', 1);
    const input = Array.from({ length: 200 }, (_, i) => `m${i}`);
    await kcatOk(['-P', '-t', topic, '-X', 'enable.idempotence=true', '-X', 'linger.ms=0'], `${input.join('\n')}\n`);
    expect(await readAll(topic, input.length)).toEqual(input.map((v, i) => `${i} ${v}`));
  });

  it('transactional.id: the records commit with an EndTxn marker after them', async () => {
    const topic = await createTopic('ktxn', 1);
    const input = Array.from({ length: 20 }, (_, i) => `t${i}`);
    await kcatOk(['-P', '-t', topic, '-X', `transactional.id=${uniqueName('kcat-txn')}`], `${input.join('\n')}\n`);
    expect(await readAll(topic, input.length)).toEqual(input.map((v, i) => `${i} ${v}`));
    // The commit marker takes one offset; the last stable offset has caught up with it.
    const [offsets] = await shared.admin.fetchTopicOffsets(topic);
    expect(offsets).toMatchObject({ partition: 0, high: '21' });
    const committed = await kcatOk(['-C', '-t', topic, '-e', '-X', 'isolation.level=read_committed', '-f', '%s\n']);
    expect(lines(committed.stdout)).toEqual(input);
  });
});

describe('kcat -Q', () => {
  it('finds the first offset at or after a timestamp (ListOffsets by time)', async () => {
    const topic = await createTopic('kq', 1);
    const producer = shared.tb.kafka.producer();
    await producer.connect();
    try {
      await producer.send({ topic, messages: [1000, 2000, 3000].map((t) => ({ value: `at-${t}`, timestamp: String(t) })) });
    } finally {
      await producer.disconnect();
    }
    const { stdout } = await kcatOk(['-Q', '-t', `${topic}:0:2000`]);
    expect(stdout.trim()).toBe(`${topic} [0] offset 1`);
    const between = await kcatOk(['-Q', '-t', `${topic}:0:2500`]);
    expect(between.stdout.trim()).toBe(`${topic} [0] offset 2`);
  });
});

describe('kafkajs produces, kcat -C reads', () => {
  let topic: string;
  /** Per partition, what kafkajs wrote: `key value partition offset` lines as kcat prints them. */
  const expected: string[][] = [[], []];

  beforeAll(async () => {
    topic = await createTopic('kc', 2);
    const producer = shared.tb.kafka.producer();
    await producer.connect();
    try {
      // Two sends, so each partition holds more than one batch.
      for (const half of [0, 1]) {
        const messages = Array.from({ length: 10 }, (_, j) => {
          const i = half * 10 + j;
          return { key: `k${i}`, value: `v${i}`, partition: i % 2, headers: { i: String(i) } };
        });
        await producer.send({ topic, messages });
      }
    } finally {
      await producer.disconnect();
    }
    for (let i = 0; i < 20; i++) expected[i % 2]!.push(`k${i} v${i} ${i % 2} ${expected[i % 2]!.length}`);
  });

  const FORMAT = '%k %s %p %o\n';

  it('-p 1 -o beginning: exactly that partition, in order', async () => {
    const { stdout } = await kcatOk(['-C', '-t', topic, '-p', '1', '-o', 'beginning', '-e', '-f', FORMAT]);
    expect(lines(stdout)).toEqual(expected[1]);
  });

  it('all partitions from the beginning: every record once, each partition in order', async () => {
    const { stdout } = await kcatOk(['-C', '-t', topic, '-o', 'beginning', '-e', '-f', FORMAT]);
    const got = lines(stdout);
    expect(got).toHaveLength(20);
    for (const p of [0, 1]) expect(got.filter((l) => l.split(' ')[2] === String(p))).toEqual(expected[p]);
  });

  it('-o -2: the last two records of a partition (end-relative)', async () => {
    const { stdout } = await kcatOk(['-C', '-t', topic, '-p', '0', '-o', '-2', '-e', '-f', FORMAT]);
    expect(lines(stdout)).toEqual(expected[0]!.slice(-2));
  });

  it('-o 7: from an absolute offset inside a batch', async () => {
    const { stdout } = await kcatOk(['-C', '-t', topic, '-p', '0', '-o', '7', '-e', '-f', FORMAT]);
    expect(lines(stdout)).toEqual(expected[0]!.slice(7));
  });

  it('-o end: nothing', async () => {
    const { stdout } = await kcatOk(['-C', '-t', topic, '-p', '1', '-o', 'end', '-e', '-f', FORMAT]);
    expect(stdout).toBe('');
  });

  it('-c 3: stops after three, with kafkajs headers intact', async () => {
    const { stdout } = await kcatOk(['-C', '-t', topic, '-p', '1', '-o', 'beginning', '-c', '3', '-f', '%k %h\n']);
    expect(lines(stdout)).toEqual(['k1 i=1', 'k3 i=3', 'k5 i=5']);
  });
});

describe('kcat -G balanced consumer', () => {
  it('two members share four partitions, get every record once, and commit when they exit', async () => {
    const topic = await createTopic('kg', 4);
    const group = uniqueName('kcat-group');
    const member = (debug: boolean) =>
      spawnKcat([
        '-b', bootstrap(), '-G', group,
        '-X', 'auto.offset.reset=earliest',
        '-X', 'session.timeout.ms=6000',
        '-X', 'heartbeat.interval.ms=300',
        ...(debug ? ['-d', 'protocol'] : []),
        '-u', '-f', '%p %o %k %s\n', topic,
      ]);
    const members: KcatProcess[] = [];
    try {
      members.push(member(true));
      members.push(member(false));
      const [a, b] = members as [KcatProcess, KcatProcess];

      /** The partitions a member holds now, from kcat's rebalance messages. */
      const holding = (m: KcatProcess): number[] => {
        const events = [...m.stderr().matchAll(/rebalanced \(memberid [^)]*\): (assigned|revoked): ([^\n%]*)/g)];
        const last = events.at(-1);
        if (!last || last[1] !== 'assigned') return [];
        return [...last[2]!.matchAll(/\[(\d+)\]/g)].map((x) => Number(x[1])).sort();
      };
      await waitFor(
        async () => {
          const [ha, hb] = [holding(a), holding(b)];
          if (ha.length !== 2 || hb.length !== 2 || [...ha, ...hb].sort().join() !== '0,1,2,3') return false;
          const described = await shared.admin.describeGroups([group]);
          return described.groups[0]?.state === 'Stable' && described.groups[0].members.length === 2;
        },
        15_000,
        'both kcat members to hold two partitions each',
      );

      const producer = shared.tb.kafka.producer();
      await producer.connect();
      try {
        await producer.send({ topic, messages: Array.from({ length: 40 }, (_, i) => ({ key: `k${i}`, value: `v${i}`, partition: i % 4 })) });
      } finally {
        await producer.disconnect();
      }
      await waitFor(() => lines(a.stdout()).length + lines(b.stdout()).length >= 40, 10_000, 'the members to receive 40 records');

      const heldA = holding(a);
      const heldB = holding(b);
      // SIGINT and SIGTERM both make kcat close the consumer: commit, then LeaveGroup.
      expect(await a.stop('SIGINT')).toBe(0);
      expect(await b.stop('SIGTERM')).toBe(0);

      const rows = (m: KcatProcess) => lines(m.stdout()).map((l) => l.split(' '));
      const [ra, rb] = [rows(a), rows(b)];
      expect(ra.length).toBeGreaterThan(0);
      expect(rb.length).toBeGreaterThan(0);
      expect(ra.every(([p]) => heldA.includes(Number(p)))).toBe(true);
      expect(rb.every(([p]) => heldB.includes(Number(p)))).toBe(true);
      // Every record exactly once, at the offset kafkajs got, in order per partition.
      const all = [...ra, ...rb].map(([p, o, k, v]) => `${p} ${o} ${k} ${v}`);
      const want = Array.from({ length: 40 }, (_, i) => `${i % 4} ${Math.floor(i / 4)} k${i} v${i}`);
      expect([...all].sort()).toEqual([...want].sort());
      for (const m of [ra, rb]) {
        for (const p of [0, 1, 2, 3]) {
          const offsets = m.filter(([q]) => Number(q) === p).map(([, o]) => Number(o));
          expect(offsets).toEqual([...offsets].sort((x, y) => x - y));
        }
      }

      const committed = await shared.admin.fetchOffsets({ groupId: group, topics: [topic] });
      expect(committed).toHaveLength(1);
      expect(committed[0]!.topic).toBe(topic);
      expect(committed[0]!.partitions.map(({ partition, offset }) => ({ partition, offset }))).toEqual([0, 1, 2, 3].map((partition) => ({ partition, offset: '10' })));
      const after = await shared.admin.describeGroups([group]);
      expect(after.groups[0]).toMatchObject({ state: 'Empty', members: [] });

      // librdkafka's group protocol, as the reference table says (§2).
      const trace = a.stderr();
      for (const sent of ['FindCoordinatorRequest (v2', 'JoinGroupRequest (v5', 'SyncGroupRequest (v3', 'HeartbeatRequest (v3', 'OffsetFetchRequest (v', 'FetchRequest (v11', 'OffsetCommitRequest (v', 'LeaveGroupRequest (v1']) {
        expect(trace).toContain(`Sent ${sent}`);
      }
    } finally {
      for (const m of members) m.kill();
    }
  });
});

describe('librdkafka protocol negotiation', () => {
  it('takes ApiVersions v3 on the first try and then uses Metadata v4, Produce v7 and Fetch v11', async () => {
    const topic = await createTopic('kv', 1);
    const produce = await kcatOk(['-P', '-t', topic, '-d', 'protocol,broker'], 'one\ntwo\n');
    const trace = produce.stderr;
    expect(trace).toMatch(/Sent ApiVersionRequest \(v3,/);
    expect(trace).toMatch(/Received ApiVersionResponse \(v3,/);
    // A v3 response librdkafka could not parse makes it retry with v0 (or v2 after error 35).
    expect(trace).not.toMatch(/ApiVersionRequest \(v[0-2],/);
    expect(trace).not.toMatch(/ApiVersionRequest failed|Failed to parse|Protocol parse failure/i);
    // Features librdkafka turns on only for the right advertised ranges (rdkafka_feature.c).
    const features = /Updated enabled protocol features to ([^\n]*)/.exec(trace)?.[1]?.split(',') ?? [];
    expect(features).toEqual(expect.arrayContaining(['ApiVersion', 'MsgVer2', 'BrokerBalancedConsumer', 'BrokerGroupCoordinator', 'IdempotentProducer', 'ZSTD', 'OffsetTime']));
    expect(trace).toMatch(/Sent MetadataRequest \(v4,/);
    expect(trace).toMatch(/Sent ProduceRequest \(v7,/);
    expect(trace).toMatch(/Received ProduceResponse \(v7,/);

    const consume = await kcatOk(['-C', '-t', topic, '-o', 'beginning', '-e', '-d', 'protocol']);
    expect(lines(consume.stdout)).toEqual(['one', 'two']);
    expect(consume.stderr).toMatch(/Sent FetchRequest \(v11,/);
    expect(consume.stderr).toMatch(/Received FetchResponse \(v11,/);
    expect(consume.stderr).toMatch(/Sent ListOffsetsRequest \(v[1-3],|Sent OffsetRequest \(v[1-3],/);
    expect(consume.stderr).not.toMatch(/ApiVersionRequest \(v[0-2],/);
  });
});
