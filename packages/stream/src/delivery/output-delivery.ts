/**
 * How a processed chunk leaves the stage: its output records written and its input offset
 * committed. Two guarantees (docs/stream.md):
 * - at-least-once: produce with acks=all through one idempotent producer, then commit the offset.
 *   A crash between the two replays the chunk, so its outputs can be written twice.
 * - exactly-once: outputs and offset in one Kafka transaction (transactional-delivery.ts), so a
 *   crash anywhere leaves either both or neither, and read_committed consumers never see a copy.
 */
import type { Producer } from 'kafkajs';
import type { OutputRecord } from '../batch-processor';
import { FAILPOINTS, type Failpoints } from '../failpoints';

export type DeliveryGuarantee = 'at-least-once' | 'exactly-once';

export interface ChunkDelivery {
  topic: string;
  partition: number;
  /** Offset of the chunk's first record: where it started reading. */
  chunkStart: string;
  records: readonly OutputRecord[];
  /** Offset to commit (one past the last handled record), or null when none was handled. */
  commitOffset: string | null;
}

export type DeliveryResult =
  | { kind: 'delivered' }
  /** Another owner of the partition committed past this chunk (a zombie's work landed first): resume from `committedOffset`. */
  | { kind: 'superseded'; committedOffset: string };

export interface OutputDelivery {
  deliver(chunk: ChunkDelivery, outputTopicOf: (output: string) => string): Promise<DeliveryResult>;
  /** The consumer joined a generation with this assignment (topic/partition keys). */
  assigned(partitions: ReadonlySet<string>): void;
  close(): Promise<void>;
}

/** Groups output records by target topic, in order, as sendBatch takes them. */
export function topicMessagesOf(records: readonly OutputRecord[], outputTopicOf: (output: string) => string) {
  const byTopic = new Map<string, Array<{ key: string; value: Buffer | null }>>();
  for (const r of records) {
    const target = outputTopicOf(r.output);
    const list = byTopic.get(target) ?? [];
    list.push({ key: r.key, value: r.value });
    byTopic.set(target, list);
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}

/** Produce (acks=all, idempotent), then commit through the consumer. */
export function atLeastOnceDelivery(
  producer: Producer,
  commit: (topic: string, partition: number, offset: string) => Promise<void>,
  failpoints: Failpoints,
): OutputDelivery {
  return {
    async deliver(chunk, outputTopicOf) {
      if (chunk.records.length > 0) await producer.sendBatch({ acks: -1, topicMessages: topicMessagesOf(chunk.records, outputTopicOf) });
      await failpoints.hit(FAILPOINTS.afterProduce);
      if (chunk.commitOffset !== null) await commit(chunk.topic, chunk.partition, chunk.commitOffset);
      return { kind: 'delivered' };
    },
    assigned: () => undefined,
    close: () => producer.disconnect(),
  };
}
