/**
 * Exactly-once delivery of a chunk: its outputs and its input offset in one Kafka transaction
 * (the consume-transform-produce loop of KIP-98). Either both become visible or neither does, so
 * a crash anywhere replays the chunk without a single visible copy downstream (consumers read
 * with isolation.level=read_committed, kafkajs's default).
 *
 * Zombies. A stalled instance that lost its partitions may still try to commit a chunk the new
 * owner also processes. kafkajs 2.2.4 sends TxnOffsetCommit v0–1, without the group generation
 * that lets Kafka fence such an instance (KIP-447), so fencing uses the older scheme Kafka Streams
 * used: one transactional id per input partition (`<group>-<topic>-<partition>`). The new owner's
 * first transaction initialises that id, which bumps its epoch: the broker aborts what the old
 * owner had open and refuses everything it sends afterwards. The old owner could still have
 * committed just before that, after the new owner read its starting offset, so after initialising
 * the new owner re-reads the committed offset and, if someone got further, resumes from there.
 */
import kafkajs, { type Admin, type Kafka, type Producer } from 'kafkajs';
import type { Logger } from '@stratum/observability';
import { FAILPOINTS, type Failpoints } from '../failpoints';
import { topicMessagesOf, type OutputDelivery } from './output-delivery';

const { Partitioners } = kafkajs;

export interface TransactionalDeliveryOptions {
  kafka: Kafka;
  groupId: string;
  logger: Logger;
  failpoints: Failpoints;
  /** How long the broker lets a transaction stay open before aborting it. Default 60 s. */
  transactionTimeoutMs?: number;
}

interface PartitionProducer {
  producer: Producer;
  /** Set until this owner has checked, after initialising, that nobody committed past its position. */
  unchecked: boolean;
}

const partitionKey = (topic: string, partition: number) => `${topic}/${partition}`;

export function transactionalDelivery(options: TransactionalDeliveryOptions): OutputDelivery {
  const { kafka, groupId, logger } = options;
  const producers = new Map<string, PartitionProducer>();
  // One connection, shared: partitions processed at once must not each see a half-connected client.
  let admin: Promise<Admin> | null = null;

  async function producerFor(topic: string, partition: number): Promise<PartitionProducer> {
    const key = partitionKey(topic, partition);
    const existing = producers.get(key);
    if (existing) return existing;
    const producer = kafka.producer({
      transactionalId: `${groupId}-${topic}-${partition}`,
      idempotent: true,
      maxInFlightRequests: 1,
      transactionTimeout: options.transactionTimeoutMs ?? 60_000,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    const entry = { producer, unchecked: true };
    producers.set(key, entry);
    return entry;
  }

  /** Drops a producer whose transaction failed: its state is not worth repairing, and the next one's initialisation aborts whatever it left open. */
  function discard(key: string, entry: PartitionProducer): void {
    if (producers.get(key) === entry) producers.delete(key);
    void entry.producer.disconnect().catch(() => undefined);
  }

  async function committedOffset(topic: string, partition: number): Promise<bigint | null> {
    admin ??= (async () => {
      const client = kafka.admin();
      await client.connect();
      return client;
    })().catch((err: unknown) => {
      admin = null; // let the next chunk try again
      throw err;
    });
    const [offsets] = await (await admin).fetchOffsets({ groupId, topics: [topic] });
    const offset = offsets?.partitions.find((p) => p.partition === partition)?.offset;
    return offset === undefined || BigInt(offset) < 0n ? null : BigInt(offset);
  }

  return {
    async deliver(chunk, outputTopicOf) {
      const { topic, partition } = chunk;
      if (chunk.records.length === 0 && chunk.commitOffset === null) return { kind: 'delivered' };
      const key = partitionKey(topic, partition);
      const entry = await producerFor(topic, partition);
      try {
        // The first transaction of a producer initialises its id: from here on, no other owner of this partition can commit.
        const txn = await entry.producer.transaction();
        if (entry.unchecked) {
          const committed = await committedOffset(topic, partition);
          entry.unchecked = false;
          if (committed !== null && committed > BigInt(chunk.chunkStart)) {
            await txn.abort();
            logger.warn({ topic, partition, chunkStart: chunk.chunkStart, committed: committed.toString() }, 'another owner committed past this chunk; resuming from its offset');
            return { kind: 'superseded', committedOffset: committed.toString() };
          }
        }
        if (chunk.records.length > 0) await txn.sendBatch({ acks: -1, topicMessages: topicMessagesOf(chunk.records, outputTopicOf) });
        await options.failpoints.hit(FAILPOINTS.afterProduce);
        if (chunk.commitOffset !== null) {
          await txn.sendOffsets({ consumerGroupId: groupId, topics: [{ topic, partitions: [{ partition, offset: chunk.commitOffset }] }] });
        }
        await txn.commit();
        return { kind: 'delivered' };
      } catch (err) {
        discard(key, entry);
        throw err;
      }
    },
    assigned() {
      // After any rebalance, re-check before the next commit: cheap (one OffsetFetch per partition), and it
      // covers an owner that came back to a partition another instance held in between.
      for (const entry of producers.values()) entry.unchecked = true;
    },
    async close() {
      const all = [...producers.values()];
      producers.clear();
      await Promise.all(all.map((e) => e.producer.disconnect().catch(() => undefined)));
      await admin?.then((a) => a.disconnect()).catch(() => undefined);
    },
  };
}
