/**
 * kafkajs's DefaultPartitioner rule for keyed records — Kafka's Java default,
 * `toPositive(murmur2(keyBytes)) % partitions` — computed with 32-bit integer arithmetic.
 * kafkajs computes the same hash with its Long emulation and copies the partition list on every
 * record; in the gateway's CPU profile under /v1/batch that was about a tenth of all the time.
 * Records without a key (the gateway sends none) fall back to kafkajs's own partitioner.
 */
import kafkajs, { type ICustomPartitioner } from 'kafkajs';

const { Partitioners } = kafkajs;

/** Kafka's `Utils.murmur2` (Java), the hash its default partitioner uses. */
export function murmur2(data: Buffer): number {
  const m = 0x5bd1e995;
  let h = (0x9747b28c ^ data.length) | 0;
  const whole = data.length & ~3;
  for (let i = 0; i < whole; i += 4) {
    let k = data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m) ^ k;
  }
  // Java's switch falls through from case 3 to 1: the tail bytes, highest first.
  const tail = data.length % 4;
  if (tail >= 3) h ^= data[whole + 2]! << 16;
  if (tail >= 2) h ^= data[whole + 1]! << 8;
  if (tail >= 1) {
    h ^= data[whole]!;
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

/** The partition of a keyed record under Kafka's default partitioner. */
export function partitionForKey(key: Buffer, partitions: number): number {
  return (murmur2(key) & 0x7fffffff) % partitions;
}

/** A kafkajs partitioner placing keyed records exactly as Partitioners.DefaultPartitioner does. */
export const Murmur2Partitioner: ICustomPartitioner = () => {
  const fallback = Partitioners.DefaultPartitioner();
  return (args) => {
    const { message, partitionMetadata } = args;
    if (message.partition !== null && message.partition !== undefined) return message.partition;
    if (message.key === null || message.key === undefined) return fallback(args);
    const key = typeof message.key === 'string' ? Buffer.from(message.key) : message.key;
    return partitionForKey(key, partitionMetadata.length);
  };
};
