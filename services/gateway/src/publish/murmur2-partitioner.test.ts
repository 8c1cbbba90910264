import fc from 'fast-check';
import kafkajs, { type PartitionMetadata } from 'kafkajs';
import { Murmur2Partitioner, murmur2 } from './murmur2-partitioner';

const { Partitioners } = kafkajs;

// The vectors of Kafka's UtilsTest.testMurmur2.
test.each([
  ['21', -973932308],
  ['foobar', -790332482],
  ['a-little-bit-long-string', -985981536],
  ['a-little-bit-longer-string', -1486304829],
  ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
  ['abc', 479470107],
])('murmur2(%s) is what Kafka’s Java client computes', (text, expected) => {
  expect(murmur2(Buffer.from(text))).toBe(expected);
});

const metadata = (n: number): PartitionMetadata[] =>
  Array.from({ length: n }, (_, partitionId) => ({ partitionId, leader: 1, partitionErrorCode: 0, replicas: [1], isr: [1] }));

test('places every key where kafkajs’s DefaultPartitioner does', () => {
  const ours = Murmur2Partitioner();
  const theirs = Partitioners.DefaultPartitioner();
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), fc.uint8Array({ maxLength: 64 }), fc.integer({ min: 1, max: 200 }), (text, bytes, n) => {
      const partitionMetadata = metadata(n);
      for (const key of [text, Buffer.from(bytes)]) {
        const args = { topic: 't', partitionMetadata, message: { key, value: null } };
        expect(ours(args)).toBe(theirs(args));
      }
    }),
    { numRuns: 1000 },
  );
});

test('keeps an explicit partition, and spreads keyless records over the partitions', () => {
  const partition = Murmur2Partitioner();
  expect(partition({ topic: 't', partitionMetadata: metadata(12), message: { key: 'k', value: null, partition: 7 } })).toBe(7);
  const seen = new Set(Array.from({ length: 48 }, () => partition({ topic: 't', partitionMetadata: metadata(12), message: { value: null } })));
  expect(seen.size).toBeGreaterThan(1);
});
