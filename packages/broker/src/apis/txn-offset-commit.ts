/**
 * TxnOffsetCommit (key 28), v0–1 (same layout).
 *   Request: transactional_id string, group_id string, producer_id i64, producer_epoch i16,
 *            topics [name string, partitions [partition_index i32, committed_offset i64, committed_metadata nullable string]]
 *   Response: throttle_time_ms i32, topics [name string, partitions [partition_index i32, error_code i16]]
 * The offsets are staged in the transaction and reach the group only when it commits.
 */
import { defineApi } from '../protocol/api';

interface Req {
  transactionalId: string;
  groupId: string;
  producerId: number;
  epoch: number;
  topics: { name: string; partitions: { index: number; offset: number; metadata: string | null }[] }[];
}
type Res = { name: string; partitions: { index: number; errorCode: number }[] }[];

export const txnOffsetCommitApi = defineApi<Req, Res>({
  key: 28,
  name: 'TxnOffsetCommit',
  minVersion: 0,
  maxVersion: 1,
  decode(r) {
    return {
      transactionalId: r.string(),
      groupId: r.string(),
      producerId: r.int64(),
      epoch: r.int16(),
      topics: r.array((r) => ({
        name: r.string(),
        partitions: r.array((r) => ({ index: r.int32(), offset: r.int64(), metadata: r.nullableString() })),
      })),
    };
  },
  encode(w, _v, res) {
    w.int32(0).array(res, (w, t) => w.string(t.name).array(t.partitions, (w, p) => w.int32(p.index).int16(p.errorCode)));
  },
  async handle(broker, req) {
    const offsets = req.topics.flatMap((t) =>
      t.partitions.map((p) => ({ topic: t.name, partition: p.index, offset: p.offset, leaderEpoch: -1, metadata: p.metadata })),
    );
    const errorCode = broker.txns.stageOffsets(req.transactionalId, req.producerId, req.epoch, req.groupId, offsets);
    await broker.flusher.flushed();
    return req.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ index: p.index, errorCode })) }));
  },
});
