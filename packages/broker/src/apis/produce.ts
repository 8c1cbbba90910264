/**
 * Produce (key 0), v3–7 (RecordBatch v2 only; v3–7 share the request layout); advertised as 0–7.
 *   Request: transactional_id nullable string, acks i16, timeout_ms i32,
 *            topic_data [name string, partition_data [index i32, records nullable bytes]]
 *   Response: responses [name string, partition_responses [index i32, error_code i16, base_offset i64,
 *             log_append_time_ms i64, (v5+) log_start_offset i64]], throttle_time_ms i32
 * acks=0 gets no response at all. acks=1 and acks=-1 are the same on one node: the response
 * waits for the flush policy (fdatasync by default) so an acknowledged record survives kill -9.
 */
import { defineApi, NO_RESPONSE } from '../protocol/api';
import { ErrorCode } from '../protocol/error-codes';
import type { BrokerState } from '../broker-state';
import { readBatchHeader, validateBatch, isTransactional, Attr } from '../log/record-batch';
import { crc32c } from '../log/crc32c';
import { configValue } from '../topics/topic-config';
import { ProducerWindow } from '../txn/producer-window';

interface PartitionData {
  index: number;
  records: Buffer | null;
}
interface ProduceRequest {
  transactionalId: string | null;
  acks: number;
  timeoutMs: number;
  topics: { name: string; partitions: PartitionData[] }[];
}
interface PartitionResult {
  index: number;
  errorCode: number;
  baseOffset: number;
  logAppendTime: number;
  logStartOffset: number;
}
interface ProduceResponse {
  topics: { name: string; partitions: PartitionResult[] }[];
}

const failed = (index: number, errorCode: number): PartitionResult => ({ index, errorCode, baseOffset: -1, logAppendTime: -1, logStartOffset: -1 });

/** Stamps LogAppendTime into a batch (attribute bit 3, maxTimestamp = now) and re-signs it. */
function applyLogAppendTime(batch: Buffer, now: number): void {
  batch.writeInt16BE(batch.readInt16BE(21) | Attr.LOG_APPEND_TIME, 21);
  batch.writeBigInt64BE(BigInt(now), 35);
  batch.writeUInt32BE(crc32c(batch, 21), 17);
}

/** Validates and appends one partition's batch, applying idempotence and transaction checks. */
export function produceToPartition(broker: BrokerState, topicName: string, index: number, records: Buffer | null, fromTxn: string | null): PartitionResult {
  const topic = broker.topics.get(topicName);
  const partition = topic?.partitions[index];
  if (!topic || !partition) return failed(index, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  const header = records ? readBatchHeader(records) : null;
  if (!records || !header) return failed(index, ErrorCode.INVALID_RECORD);
  // v3+ requires exactly one batch per partition; a second one shows up as a length mismatch.
  const maxBytes = Number(configValue(topic.configs, 'max.message.bytes'));
  const problem = validateBatch(records, header, maxBytes, true);
  if (problem) {
    broker.logger.warn('rejected produce batch', { topic: topicName, partition: index, problem });
    if (problem.startsWith('CRC')) return failed(index, ErrorCode.CORRUPT_MESSAGE);
    if (header.size > maxBytes) return failed(index, ErrorCode.MESSAGE_TOO_LARGE);
    return failed(index, ErrorCode.INVALID_RECORD);
  }
  if (isTransactional(header)) {
    const code = broker.txns.checkTransactionalProduce(fromTxn, header.producerId, header.producerEpoch, topicName, index);
    if (code !== ErrorCode.NONE) return failed(index, code);
  }
  if (header.producerId >= 0) {
    // An unknown producer is checked by an empty window: its first batch must carry sequence 0.
    const window = partition.producers.get(header.producerId) ?? new ProducerWindow();
    const check = window.check(header.producerEpoch, header.baseSequence, header.recordCount);
    if (check.kind === 'error') return failed(index, check.code);
    if (check.kind === 'duplicate') {
      return { index, errorCode: ErrorCode.NONE, baseOffset: check.baseOffset, logAppendTime: -1, logStartOffset: partition.log.logStartOffset };
    }
  }
  const now = Date.now();
  const logAppendTime = configValue(topic.configs, 'message.timestamp.type') === 'LogAppendTime';
  if (logAppendTime) applyLogAppendTime(records, now);
  const { baseOffset } = partition.append(records);
  return { index, errorCode: ErrorCode.NONE, baseOffset, logAppendTime: logAppendTime ? now : -1, logStartOffset: partition.log.logStartOffset };
}

export const produceApi = defineApi<ProduceRequest, ProduceResponse>({
  key: 0,
  name: 'Produce',
  minVersion: 3,
  maxVersion: 7,
  // Advertised as 0–7, as Kafka 4.0 does (KAFKA-18659), though v0–2 are still refused:
  // librdkafka < 2.8 (kcat 1.7.1 has 2.0.2) compresses with gzip/snappy/lz4 only when the
  // broker's Produce range includes v0 (librdkafka#4956), and otherwise silently sends uncompressed.
  advertisedMinVersion: 0,
  decode(r) {
    return {
      transactionalId: r.nullableString(),
      acks: r.int16(),
      timeoutMs: r.int32(),
      topics: r.array((r) => ({ name: r.string(), partitions: r.array((r) => ({ index: r.int32(), records: r.bytes() })) })),
    };
  },
  encode(w, version, res) {
    w.array(res.topics, (w, t) => {
      w.string(t.name);
      w.array(t.partitions, (w, p) => {
        w.int32(p.index).int16(p.errorCode).int64(p.baseOffset).int64(p.logAppendTime);
        if (version >= 5) w.int64(p.logStartOffset);
      });
    });
    w.int32(0);
  },
  async handle(broker, req) {
    if (req.acks !== 0 && req.acks !== 1 && req.acks !== -1) {
      return { topics: req.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => failed(p.index, ErrorCode.INVALID_REQUIRED_ACKS)) })) };
    }
    const topics = req.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => produceToPartition(broker, t.name, p.index, p.records, req.transactionalId)),
    }));
    if (req.acks === 0) return NO_RESPONSE;
    await broker.flusher.flushed();
    return { topics };
  },
});
