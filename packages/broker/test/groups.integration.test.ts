/**
 * Consumer groups against real kafkajs consumers: balanced assignment, rebalances on join, leave
 * and session expiry, no loss and per-partition order across them, and committed offsets that
 * survive a broker restart.
 */
import { AssignerProtocol, type Consumer, type Producer } from 'kafkajs';
import { uniqueName, useSharedBroker, waitFor } from './helpers';
import { RawClient } from './raw-client';
import { ApiKey } from '../src/protocol/api';
import { ErrorCode } from '../src/protocol/error-codes';

const shared = useSharedBroker();

interface Seen {
  consumer: string;
  partition: number;
  offset: number;
  value: string;
}

const CONSUMER_TIMING = { sessionTimeout: 6000, rebalanceTimeout: 10_000, heartbeatInterval: 500, maxWaitTimeInMs: 100 };

/** Starts a kafkajs consumer of `topic` in `groupId` that appends everything it reads to `seen`. */
async function startConsumer(groupId: string, topic: string, name: string, seen: Seen[]): Promise<Consumer> {
  const consumer = shared.tb.kafka.consumer({ groupId, ...CONSUMER_TIMING });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      seen.push({ consumer: name, partition, offset: Number(message.offset), value: message.value!.toString() });
    },
  });
  return consumer;
}

/** The group's members and their partitions of `topic`, once DescribeGroups says Stable. */
async function stableAssignment(groupId: string, topic: string): Promise<Map<string, number[]> | null> {
  const { groups } = await shared.admin.describeGroups([groupId]);
  const group = groups[0];
  if (!group || group.state !== 'Stable') return null;
  const out = new Map<string, number[]>();
  for (const m of group.members) {
    const decoded = AssignerProtocol.MemberAssignment.decode(m.memberAssignment);
    out.set(m.memberId, [...(decoded?.assignment[topic] ?? [])].sort((a, b) => a - b));
  }
  return out;
}

/** Waits until the group is Stable with `members` members that together own all `partitions`. */
async function waitForBalance(groupId: string, topic: string, members: number, partitions: number, ms = 20_000): Promise<Map<string, number[]>> {
  let last: Map<string, number[]> | null = null;
  await waitFor(
    async () => {
      last = await stableAssignment(groupId, topic);
      if (!last || last.size !== members) return false;
      const owned = [...last.values()].flat().sort((a, b) => a - b);
      return owned.length === partitions && owned.every((p, i) => p === i);
    },
    ms,
    `${groupId} stable with ${members} members over ${partitions} partitions`,
  );
  return last!;
}

/** Produces keyed messages to every partition in the background until stopped; records what was acknowledged. */
function backgroundProducer(producer: Producer, topic: string, partitions: number) {
  const sent = new Map<number, string[]>();
  let stop = false;
  let n = 0;
  const done = (async () => {
    while (!stop) {
      const messages = Array.from({ length: partitions * 5 }, () => {
        const i = n++;
        return { partition: i % partitions, key: `k${i % partitions}`, value: `v${i}` };
      });
      await producer.send({ topic, messages });
      for (const m of messages) sent.set(m.partition, [...(sent.get(m.partition) ?? []), m.value]);
      await new Promise((r) => setTimeout(r, 30));
    }
  })();
  return {
    sent,
    total: () => [...sent.values()].reduce((a, v) => a + v.length, 0),
    stop: async () => {
      stop = true;
      await done;
    },
  };
}

/**
 * Nothing lost, order kept: per partition, the first time each offset is seen follows exactly
 * 0, 1, 2, … (redelivery after a rebalance may repeat offsets, never skip or reorder them), and
 * the values are the ones produced, in production order.
 */
function expectCompleteAndOrdered(seen: readonly Seen[], sent: Map<number, string[]>): void {
  for (const [partition, values] of sent) {
    const firstSeen: Seen[] = [];
    const offsets = new Set<number>();
    for (const s of seen) {
      if (s.partition !== partition || offsets.has(s.offset)) continue;
      offsets.add(s.offset);
      firstSeen.push(s);
    }
    expect(firstSeen.map((s) => s.offset)).toEqual(values.map((_, i) => i));
    expect(firstSeen.map((s) => s.value)).toEqual(values);
  }
}

describe('consumer groups with kafkajs', () => {
  it('balances 6 partitions over 3, 4, then 3 members without losing or reordering anything', async () => {
    const topic = uniqueName('grp');
    const groupId = uniqueName('g');
    await shared.admin.createTopics({ topics: [{ topic, numPartitions: 6 }] });
    const seen: Seen[] = [];
    const consumers = new Map<string, Consumer>();
    const producer = shared.tb.kafka.producer();
    await producer.connect();
    try {
      for (const name of ['c1', 'c2', 'c3']) consumers.set(name, await startConsumer(groupId, topic, name, seen));
      const three = await waitForBalance(groupId, topic, 3, 6);
      expect([...three.values()].map((p) => p.length)).toEqual([2, 2, 2]);

      const load = backgroundProducer(producer, topic, 6);
      await waitFor(() => seen.length >= 60, 10_000, 'first messages');

      // A fourth member joins: everybody rejoins and the partitions spread 2/2/1/1.
      consumers.set('c4', await startConsumer(groupId, topic, 'c4', seen));
      const four = await waitForBalance(groupId, topic, 4, 6);
      expect([...four.values()].map((p) => p.length).sort()).toEqual([1, 1, 2, 2]);
      await waitFor(() => seen.some((s) => s.consumer === 'c4'), 10_000, 'c4 to consume');

      // A member leaves cleanly (LeaveGroup): the others take its partitions over at once.
      await consumers.get('c2')!.disconnect();
      consumers.delete('c2');
      const back = await waitForBalance(groupId, topic, 3, 6);
      expect([...back.values()].map((p) => p.length)).toEqual([2, 2, 2]);

      await new Promise((r) => setTimeout(r, 300));
      await load.stop();
      const total = load.total();
      await waitFor(() => new Set(seen.map((s) => `${s.partition}:${s.offset}`)).size >= total, 15_000, `${total} distinct messages`);
      expectCompleteAndOrdered(seen, load.sent);
    } finally {
      await producer.disconnect();
      await Promise.all([...consumers.values()].map((c) => c.disconnect()));
    }
  });

  it('evicts a member that stops heartbeating once its session times out, and its partitions are consumed', async () => {
    const topic = uniqueName('grp-dead');
    const groupId = uniqueName('g');
    await shared.admin.createTopics({ topics: [{ topic, numPartitions: 6 }] });
    const seen: Seen[] = [];
    const consumer = await startConsumer(groupId, topic, 'alive', seen);
    const raw = await RawClient.connect(shared.tb.broker.port);
    const producer = shared.tb.kafka.producer();
    await producer.connect();
    try {
      await waitForBalance(groupId, topic, 1, 6);
      // A client that joins like a kafkajs consumer (same assignor, real subscription metadata)
      // and then hangs: its TCP connection stays open but it never heartbeats again.
      const metadata = AssignerProtocol.MemberMetadata.encode({ version: 0, topics: [topic], userData: Buffer.alloc(0) });
      const joinOnce = async (memberId: string) => {
        const r = await raw.request(ApiKey.JoinGroup, 5, (w) => {
          w.string(groupId).int32(6000).int32(10_000).string(memberId).nullableString(null).string('consumer');
          w.array([0], (w) => w.string('RoundRobinAssigner').bytes(metadata));
        });
        r.int32();
        return { errorCode: r.int16(), generationId: r.int32(), protocol: r.string(), leader: r.string(), memberId: r.string() };
      };
      const first = await joinOnce('');
      expect(first.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
      const joined = await joinOnce(first.memberId);
      expect(joined).toMatchObject({ errorCode: ErrorCode.NONE, protocol: 'RoundRobinAssigner', memberId: first.memberId });
      expect(joined.leader).not.toBe(joined.memberId);
      const synced = await raw.request(ApiKey.SyncGroup, 3, (w) => {
        w.string(groupId).int32(joined.generationId).string(joined.memberId).nullableString(null).array([], () => undefined);
      });
      synced.int32();
      expect(synced.int16()).toBe(ErrorCode.NONE);
      const rawAssignment = AssignerProtocol.MemberAssignment.decode(synced.bytes()!);
      expect(rawAssignment!.assignment[topic]).toHaveLength(3);
      const lastSignOfLife = Date.now();
      const shared = await waitForBalance(groupId, topic, 2, 6);
      expect([...shared.values()].map((p) => p.length)).toEqual([3, 3]);

      // Messages for the hung member's partitions pile up until the coordinator evicts it.
      const sent = new Map<number, string[]>();
      const messages = Array.from({ length: 60 }, (_, i) => ({ partition: i % 6, value: `d${i}` }));
      await producer.send({ topic, messages });
      for (const m of messages) sent.set(m.partition, [...(sent.get(m.partition) ?? []), m.value]);

      await waitForBalance(groupId, topic, 1, 6, 15_000);
      const evictedAfter = Date.now() - lastSignOfLife;
      expect(evictedAfter).toBeGreaterThanOrEqual(5_900);
      expect(evictedAfter).toBeLessThan(12_000);
      await waitFor(() => seen.length >= 60, 10_000, 'all 60 messages');
      expectCompleteAndOrdered(seen, sent);
    } finally {
      raw.close();
      await producer.disconnect();
      await consumer.disconnect();
    }
  });

  it('resumes from committed offsets after the broker restarts', async () => {
    const topic = uniqueName('grp-restart');
    const groupId = uniqueName('g');
    await shared.admin.createTopics({ topics: [{ topic, numPartitions: 3 }] });
    const producer = shared.tb.kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: Array.from({ length: 90 }, (_, i) => ({ partition: i % 3, value: `before-${i}` })) });
    await producer.disconnect();

    const before: Seen[] = [];
    const first = await startConsumer(groupId, topic, 'first', before);
    await waitFor(() => before.length >= 90, 15_000, '90 messages before the restart');
    // disconnect() commits what was processed and leaves the group.
    await first.disconnect();
    const committed = await shared.admin.fetchOffsets({ groupId, topics: [topic] });
    expect(committed[0]!.partitions.map((p) => p.offset).sort()).toEqual(['30', '30', '30']);

    await shared.admin.disconnect();
    await shared.tb.restart();
    shared.admin = shared.tb.kafka.admin();
    await shared.admin.connect();
    const afterRestart = await shared.admin.fetchOffsets({ groupId, topics: [topic] });
    expect(afterRestart[0]!.partitions.map((p) => p.offset).sort()).toEqual(['30', '30', '30']);

    const producer2 = shared.tb.kafka.producer();
    await producer2.connect();
    await producer2.send({ topic, messages: Array.from({ length: 30 }, (_, i) => ({ partition: i % 3, value: `after-${i}` })) });
    await producer2.disconnect();

    const after: Seen[] = [];
    const second = await startConsumer(groupId, topic, 'second', after);
    try {
      await waitFor(() => after.length >= 30, 15_000, '30 messages after the restart');
      await new Promise((r) => setTimeout(r, 300));
      expect(after).toHaveLength(30);
      expect(after.every((s) => s.value.startsWith('after-') && s.offset >= 30)).toBe(true);
    } finally {
      await second.disconnect();
    }
  });
});
