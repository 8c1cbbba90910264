/**
 * Group administration through kafkajs' admin client (DescribeGroups, ListGroups, DeleteGroups,
 * OffsetFetch/OffsetCommit via fetchOffsets/setOffsets) and a librdkafka balanced consumer (kcat -G).
 */
import { spawn } from 'node:child_process';
import { AssignerProtocol, type Consumer } from 'kafkajs';
import { uniqueName, useSharedBroker, waitFor } from './helpers';
import { ErrorCode } from '../src/protocol/error-codes';

const shared = useSharedBroker();

async function produce(topic: string, count: number, partitions = 1): Promise<void> {
  const producer = shared.tb.kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages: Array.from({ length: count }, (_, i) => ({ partition: i % partitions, value: `m${i}` })) });
  await producer.disconnect();
}

async function consume(groupId: string, topic: string, seen: { partition: number; offset: number }[]): Promise<Consumer> {
  const consumer = shared.tb.kafka.consumer({ groupId, sessionTimeout: 6000, heartbeatInterval: 500, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ partition, message }) => void seen.push({ partition, offset: Number(message.offset) }) });
  return consumer;
}

describe('group administration with kafkajs', () => {
  it('describes and lists a running group, refuses to delete it, and deletes it with its offsets once empty', async () => {
    const topic = uniqueName('adm');
    const groupId = uniqueName('g');
    await shared.admin.createTopics({ topics: [{ topic, numPartitions: 2 }] });
    await produce(topic, 10, 2);
    const seen: { partition: number; offset: number }[] = [];
    const consumer = await consume(groupId, topic, seen);
    try {
      await waitFor(() => seen.length >= 10, 15_000, '10 messages');
      const { groups } = await shared.admin.describeGroups([groupId]);
      expect(groups[0]).toMatchObject({ groupId, state: 'Stable', protocolType: 'consumer', protocol: 'RoundRobinAssigner' });
      const member = groups[0]!.members[0]!;
      expect(member.clientId).toBe('test');
      expect(member.clientHost).toMatch(/^\/.+/);
      expect(AssignerProtocol.MemberMetadata.decode(member.memberMetadata)!.topics).toEqual([topic]);
      expect(AssignerProtocol.MemberAssignment.decode(member.memberAssignment)!.assignment[topic]!.sort()).toEqual([0, 1]);

      const listed = await shared.admin.listGroups();
      expect(listed.groups).toContainEqual({ groupId, protocolType: 'consumer' });

      await expect(shared.admin.deleteGroups([groupId])).rejects.toMatchObject({
        name: 'KafkaJSDeleteGroupsError',
        groups: [expect.objectContaining({ groupId, errorCode: ErrorCode.NON_EMPTY_GROUP })],
      });
    } finally {
      await consumer.disconnect();
    }

    const { groups } = await shared.admin.describeGroups([groupId]);
    expect(groups[0]).toMatchObject({ state: 'Empty', members: [] });
    const offsets = await shared.admin.fetchOffsets({ groupId, topics: [topic] });
    expect(offsets[0]!.partitions.map((p) => p.offset)).toEqual(['5', '5']);

    expect(await shared.admin.deleteGroups([groupId])).toEqual([expect.objectContaining({ groupId, errorCode: ErrorCode.NONE })]);
    const gone = await shared.admin.fetchOffsets({ groupId, topics: [topic] });
    expect(gone[0]!.partitions.map((p) => p.offset)).toEqual(['-1', '-1']);
    expect((await shared.admin.describeGroups([groupId])).groups[0]!.state).toBe('Dead');
    await expect(shared.admin.deleteGroups([groupId])).rejects.toMatchObject({
      groups: [expect.objectContaining({ errorCode: ErrorCode.GROUP_ID_NOT_FOUND })],
    });
  });

  it('lets shared.admin.setOffsets move an empty group, and a consumer starts there', async () => {
    const topic = uniqueName('adm-seek');
    const groupId = uniqueName('g');
    await shared.admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    await produce(topic, 20);
    await shared.admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: '15' }] });
    const offsets = await shared.admin.fetchOffsets({ groupId, topics: [topic] });
    expect(offsets[0]!.partitions).toEqual([expect.objectContaining({ partition: 0, offset: '15' })]);
    const seen: { partition: number; offset: number }[] = [];
    const consumer = await consume(groupId, topic, seen);
    try {
      await waitFor(() => seen.length >= 5, 15_000, '5 messages');
      await new Promise((r) => setTimeout(r, 300));
      expect(seen.map((s) => s.offset)).toEqual([15, 16, 17, 18, 19]);
    } finally {
      await consumer.disconnect();
    }
  });
});

describe('librdkafka balanced consumer', () => {
  // librdkafka 2.0.2 turns its balanced consumer off unless JoinGroup v0 is advertised.
  // kcat is required (.ci/run installs it): a missing client must fail the suite, not skip it.
  it('kcat -G joins the group, consumes and commits', async () => {
    const topic = uniqueName('rdk');
    const groupId = uniqueName('g');
    await shared.admin.createTopics({ topics: [{ topic, numPartitions: 2 }] });
    await produce(topic, 10, 2);
    const kcat = spawn('kcat', ['-u', '-b', shared.tb.broker.bootstrap, '-G', groupId, '-o', 'beginning', '-f', '%p:%o\n', '-X', 'session.timeout.ms=6000', topic], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    kcat.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise((resolve) => kcat.once('exit', resolve));
    try {
      await waitFor(() => out.trim().split('\n').filter(Boolean).length >= 10, 20_000, 'kcat to print 10 messages');
      const { groups } = await shared.admin.describeGroups([groupId]);
      expect(groups[0]).toMatchObject({ state: 'Stable', protocolType: 'consumer' });
      // librdkafka commits asynchronously (auto.commit.interval.ms 5 s).
      await waitFor(
        async () => (await shared.admin.fetchOffsets({ groupId, topics: [topic] }))[0]!.partitions.every((p) => p.offset === '5'),
        15_000,
        'kcat offsets committed',
      );
    } finally {
      kcat.kill('SIGTERM');
      await exited;
    }
  });
});
