/**
 * Fetch (key 1), v4–11. No fetch sessions (neither kafkajs nor librdkafka uses them).
 *   Request: replica_id i32, max_wait_ms i32, min_bytes i32, max_bytes i32, isolation_level i8,
 *            (v7+) session_id i32, session_epoch i32,
 *            topics [topic string, partitions [partition i32, (v9+) current_leader_epoch i32, fetch_offset i64,
 *                    (v5+) log_start_offset i64, partition_max_bytes i32]],
 *            (v7+) forgotten_topics_data [topic string, partitions [i32]], (v11+) rack_id string
 *   Response: throttle_time_ms i32, (v7+) error_code i16, session_id i32,
 *             responses [topic string, partitions [partition_index i32, error_code i16, high_watermark i64,
 *                        last_stable_offset i64, (v5+) log_start_offset i64,
 *                        aborted_transactions nullable [producer_id i64, first_offset i64],
 *                        (v11+) preferred_read_replica i32, records nullable bytes]]
 * Long-polls until min_bytes are available or max_wait_ms passes. READ_COMMITTED reads stop at
 * the last stable offset and list the aborted transactions in range, so clients can drop them.
 */
import { LOG_OVERHEAD, readBatchHeader } from '../log/record-batch';
import { defineApi, type RequestContext } from '../protocol/api';
import { ErrorCode } from '../protocol/error-codes';
import type { BrokerState } from '../broker-state';
import type { AbortedTxn, Partition } from '../topics/partition';

const READ_COMMITTED = 1;

interface FetchPartition {
  partition: number;
  fetchOffset: number;
  maxBytes: number;
}
interface FetchRequest {
  maxWaitMs: number;
  minBytes: number;
  maxBytes: number;
  isolationLevel: number;
  topics: { topic: string; partitions: FetchPartition[] }[];
}
interface PartitionData {
  partition: number;
  errorCode: number;
  highWatermark: number;
  lastStableOffset: number;
  logStartOffset: number;
  aborted: AbortedTxn[] | null;
  records: Buffer | null;
}
interface FetchResponse {
  topics: { topic: string; partitions: PartitionData[] }[];
}

interface Gathered {
  response: FetchResponse;
  bytes: number;
  /** A partition error (unknown topic, out of range) answers at once, as Kafka does. */
  hasError: boolean;
}

function readPartition(p: Partition | undefined, req: FetchPartition, committedOnly: boolean, budget: number): PartitionData {
  if (!p) {
    return { partition: req.partition, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, highWatermark: -1, lastStableOffset: -1, logStartOffset: -1, aborted: null, records: null };
  }
  const hwm = p.highWatermark;
  const lso = p.lastStableOffset;
  const start = p.log.logStartOffset;
  const base = { partition: req.partition, highWatermark: hwm, lastStableOffset: lso, logStartOffset: start };
  if (req.fetchOffset < start || req.fetchOffset > hwm) {
    return { ...base, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE, aborted: null, records: null };
  }
  const upper = committedOnly ? lso : hwm;
  // The log returns at least one whole batch; a full response (budget 0) must get none.
  const records = budget > 0 ? p.log.read(req.fetchOffset, upper, Math.min(req.maxBytes, budget)) : Buffer.alloc(0);
  const aborted = committedOnly ? (records.length ? abortedFor(records, p.abortedIn(req.fetchOffset, upper)) : []) : null;
  return { ...base, errorCode: ErrorCode.NONE, aborted, records };
}

/**
 * The aborted transactions of a READ_COMMITTED answer as kafkajs can apply them. Its filter walks
 * the records once, activating at most one aborted transaction per record, in list order, when the
 * record's offset reaches the transaction's first offset. Kafka's own order (abort time) and first
 * offsets before the fetch start (a transaction begun before it) both let records slip through:
 * two transactions aborted out of order, or both begun before the fetch, activate late. So each
 * one is reported at its producer's first batch inside the returned data (distinct offsets), and
 * the list is sorted by that offset; one with no batch in the data is left out. librdkafka and the
 * Java client, which index by producer, read the same list correctly.
 */
function abortedFor(records: Buffer, overlapping: readonly AbortedTxn[]): AbortedTxn[] {
  if (overlapping.length === 0) return [];
  const firstInData = new Map<AbortedTxn, number>();
  for (let at = 0; at + LOG_OVERHEAD <= records.length; ) {
    const h = readBatchHeader(records, at);
    if (!h) break;
    for (const t of overlapping) {
      if (!firstInData.has(t) && h.producerId === t.producerId && h.baseOffset >= t.firstOffset && h.baseOffset <= t.lastOffset) firstInData.set(t, h.baseOffset);
    }
    at += h.size;
  }
  return [...firstInData].map(([t, first]) => ({ ...t, firstOffset: first })).sort((a, b) => a.firstOffset - b.firstOffset);
}

function gather(broker: BrokerState, req: FetchRequest): Gathered {
  const committedOnly = req.isolationLevel === READ_COMMITTED;
  let budget = req.maxBytes > 0 ? req.maxBytes : Number.MAX_SAFE_INTEGER;
  let bytes = 0;
  let hasError = false;
  const topics = req.topics.map((t) => ({
    topic: t.topic,
    partitions: t.partitions.map((fp) => {
      // Once the response is full, later partitions get no data (but still their offsets).
      const data = readPartition(broker.topics.partition(t.topic, fp.partition), fp, committedOnly, bytes > 0 ? budget : Math.max(budget, 1));
      if (data.errorCode !== ErrorCode.NONE) hasError = true;
      const n = data.records?.length ?? 0;
      bytes += n;
      budget = Math.max(0, budget - n);
      return data;
    }),
  }));
  return { response: { topics }, bytes, hasError };
}

/** Waits until a requested partition changes, the deadline passes or the client goes away. */
function waitForData(broker: BrokerState, req: FetchRequest, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const unsubscribe: (() => void)[] = [];
    const done = () => {
      clearTimeout(timer);
      for (const u of unsubscribe) u();
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
    for (const t of req.topics) {
      for (const fp of t.partitions) {
        const p = broker.topics.partition(t.topic, fp.partition);
        if (p) unsubscribe.push(p.onChange(done));
      }
    }
  });
}

async function longPoll(broker: BrokerState, req: FetchRequest, ctx: RequestContext): Promise<FetchResponse> {
  const deadline = Date.now() + Math.max(0, req.maxWaitMs);
  for (;;) {
    const result = gather(broker, req);
    const left = deadline - Date.now();
    if (result.hasError || result.bytes >= Math.max(1, req.minBytes) || left <= 0 || ctx.signal.aborted) return result.response;
    await waitForData(broker, req, left, ctx.signal);
  }
}

export const fetchApi = defineApi<FetchRequest, FetchResponse>({
  key: 1,
  name: 'Fetch',
  minVersion: 4,
  maxVersion: 11,
  decode(r, version) {
    r.int32(); // replica_id: always a consumer here
    const maxWaitMs = r.int32();
    const minBytes = r.int32();
    const maxBytes = r.int32();
    const isolationLevel = r.int8();
    if (version >= 7) {
      r.int32(); // session_id
      r.int32(); // session_epoch
    }
    const topics = r.array((r) => ({
      topic: r.string(),
      partitions: r.array((r) => {
        const partition = r.int32();
        if (version >= 9) r.int32(); // current_leader_epoch
        const fetchOffset = r.int64();
        if (version >= 5) r.int64(); // follower log_start_offset
        return { partition, fetchOffset, maxBytes: r.int32() };
      }),
    }));
    if (version >= 7) r.array((r) => ({ topic: r.string(), partitions: r.array((r) => r.int32()) }));
    if (version >= 11) r.string();
    return { maxWaitMs, minBytes, maxBytes, isolationLevel, topics };
  },
  encode(w, version, res) {
    w.int32(0);
    if (version >= 7) w.int16(ErrorCode.NONE).int32(0);
    w.array(res.topics, (w, t) => {
      w.string(t.topic);
      w.array(t.partitions, (w, p) => {
        w.int32(p.partition).int16(p.errorCode).int64(p.highWatermark).int64(p.lastStableOffset);
        if (version >= 5) w.int64(p.logStartOffset);
        w.nullableArray(p.aborted, (w, a) => w.int64(a.producerId).int64(a.firstOffset));
        if (version >= 11) w.int32(-1);
        w.bytes(p.records);
      });
    });
  },
  handle(broker, req, ctx) {
    return longPoll(broker, req, ctx);
  },
});
