/**
 * Producer ids and transactions. State lives in `txn.log` (a Journal): the next producer id and
 * one snapshot entry per transactional id each time it changes (last writer wins on replay).
 *
 * A transaction goes Empty → Ongoing (AddPartitionsToTxn/AddOffsetsToTxn) → PrepareCommit or
 * PrepareAbort (EndTxn, journaled before any marker is written) → Empty, after a COMMIT/ABORT
 * control batch is appended to every partition it touched and, on commit, its staged offsets are
 * applied to the groups. On start-up a Prepare* transaction is completed and an Ongoing one is
 * aborted with its epoch bumped (kfake's choice), so a crash never leaves the LSO stuck.
 * A transaction older than its timeout is aborted the same way, fencing its producer.
 */
import { join } from 'node:path';
import { ErrorCode } from '../protocol/error-codes';
import { Journal } from '../storage/journal';
import { buildControlBatch, ControlType } from '../log/record-batch';
import type { BrokerState } from '../broker-state';
import type { CommittedOffset } from '../groups/coordinator';

type TxnStateName = 'Empty' | 'Ongoing' | 'PrepareCommit' | 'PrepareAbort';

interface TxnState {
  transactionalId: string;
  producerId: number;
  epoch: number;
  timeoutMs: number;
  state: TxnStateName;
  startedAt: number;
  /** "topic\u0000partition" keys. */
  partitions: string[];
  /** groupId → offsets staged by TxnOffsetCommit, applied on commit. */
  offsets: Record<string, CommittedOffset[]>;
  /** What the last EndTxn decided, so a retried EndTxn is answered the same. */
  lastResult: 'commit' | 'abort' | null;
}

type JournalEntry = { kind: 'nextPid'; value: number } | { kind: 'txn'; txn: TxnState };

const MAX_EPOCH = 32767;
const partKey = (topic: string, partition: number) => `${topic}\u0000${partition}`;
const splitKey = (key: string): [string, number] => {
  const i = key.lastIndexOf('\u0000');
  return [key.slice(0, i), Number(key.slice(i + 1))];
};

export interface InitProducerResult {
  errorCode: number;
  producerId: number;
  epoch: number;
}

export class TransactionCoordinator {
  private readonly txns = new Map<string, TxnState>();
  private nextPid = 0;

  private constructor(
    private readonly broker: BrokerState,
    private readonly journal: Journal<JournalEntry>,
  ) {}

  /** Replays txn.log, completes or aborts what a crash left open, and compacts the journal. */
  static open(broker: BrokerState): TransactionCoordinator {
    const { journal, entries } = Journal.open<JournalEntry>(join(broker.config.dataDir, 'txn.log'), broker.flusher);
    const c = new TransactionCoordinator(broker, journal);
    for (const e of entries) {
      if (e.kind === 'nextPid') c.nextPid = Math.max(c.nextPid, e.value);
      else c.txns.set(e.txn.transactionalId, e.txn);
    }
    // Producer ids seen in the logs (idempotent producers) must never be handed out again.
    for (const t of broker.topics.list()) for (const p of t.partitions) for (const pid of p.producers.keys()) c.nextPid = Math.max(c.nextPid, pid + 1);
    for (const txn of c.txns.values()) {
      if (txn.state === 'PrepareCommit') c.complete(txn, 'commit');
      else if (txn.state === 'PrepareAbort' || txn.state === 'Ongoing') c.abortAndFence(txn, 'open at start-up');
    }
    c.abortOrphanedMarkers();
    journal.compact([{ kind: 'nextPid', value: c.nextPid }, ...[...c.txns.values()].map((txn) => ({ kind: 'txn' as const, txn }))]);
    return c;
  }

  /** A partition can hold transactional data with no coordinator record (txn.log lost): abort it. */
  private abortOrphanedMarkers(): void {
    for (const t of this.broker.topics.list()) {
      for (const p of t.partitions) {
        for (const [pid] of p.openTxns) {
          const owner = [...this.txns.values()].find((x) => x.producerId === pid);
          p.append(buildControlBatch(pid, owner?.epoch ?? p.producers.get(pid)?.epoch ?? 0, ControlType.ABORT, Date.now()));
        }
      }
    }
  }

  private allocatePid(): number {
    const pid = this.nextPid++;
    this.journal.append({ kind: 'nextPid', value: this.nextPid });
    return pid;
  }

  private save(txn: TxnState): void {
    this.journal.append({ kind: 'txn', txn });
  }

  /** InitProducerId: a fresh id for idempotent producers, or (re)initialises a transactional id. */
  initProducerId(transactionalId: string | null, timeoutMs: number): InitProducerResult {
    if (transactionalId === null || transactionalId === '') return { errorCode: ErrorCode.NONE, producerId: this.allocatePid(), epoch: 0 };
    if (timeoutMs <= 0 || timeoutMs > this.broker.config.transactionMaxTimeoutMs) {
      return { errorCode: ErrorCode.INVALID_TRANSACTION_TIMEOUT, producerId: -1, epoch: -1 };
    }
    let txn = this.txns.get(transactionalId);
    if (!txn) {
      txn = { transactionalId, producerId: this.allocatePid(), epoch: 0, timeoutMs, state: 'Empty', startedAt: 0, partitions: [], offsets: {}, lastResult: null };
      this.txns.set(transactionalId, txn);
    } else {
      // A new incarnation of the producer: abort what the old one left open and fence it.
      if (txn.state !== 'Empty') this.complete(txn, txn.state === 'PrepareCommit' ? 'commit' : 'abort');
      this.bumpEpoch(txn);
      txn.timeoutMs = timeoutMs;
      txn.lastResult = null;
    }
    this.save(txn);
    return { errorCode: ErrorCode.NONE, producerId: txn.producerId, epoch: txn.epoch };
  }

  private bumpEpoch(txn: TxnState): void {
    if (txn.epoch >= MAX_EPOCH - 1) {
      txn.producerId = this.allocatePid();
      txn.epoch = 0;
    } else {
      txn.epoch += 1;
    }
  }

  /** Checks that (txnId, pid, epoch) is the current incarnation. */
  private validate(transactionalId: string, producerId: number, epoch: number): { txn?: TxnState; errorCode: number } {
    const txn = this.txns.get(transactionalId);
    if (!txn || txn.producerId !== producerId) return { errorCode: ErrorCode.INVALID_PRODUCER_ID_MAPPING };
    if (txn.epoch !== epoch) return { errorCode: ErrorCode.INVALID_PRODUCER_EPOCH };
    return { txn, errorCode: ErrorCode.NONE };
  }

  private begin(txn: TxnState): void {
    if (txn.state === 'Empty') {
      txn.state = 'Ongoing';
      txn.startedAt = Date.now();
      txn.partitions = [];
      txn.offsets = {};
      txn.lastResult = null;
    }
  }

  /** AddPartitionsToTxn: per-partition error codes. */
  addPartitions(transactionalId: string, producerId: number, epoch: number, topics: { name: string; partitions: number[] }[]): { name: string; partitions: { index: number; errorCode: number }[] }[] {
    const { txn, errorCode } = this.validate(transactionalId, producerId, epoch);
    let code = errorCode;
    if (txn && (txn.state === 'PrepareCommit' || txn.state === 'PrepareAbort')) code = ErrorCode.CONCURRENT_TRANSACTIONS;
    const unknown = topics.some((t) => t.partitions.some((p) => !this.broker.topics.partition(t.name, p)));
    const result = topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((index) => {
        if (code !== ErrorCode.NONE) return { index, errorCode: code };
        if (!this.broker.topics.partition(t.name, index)) return { index, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
        // Kafka fails the whole request when one partition is bad; the others get OPERATION_NOT_ATTEMPTED (55).
        return { index, errorCode: unknown ? 55 : ErrorCode.NONE };
      }),
    }));
    if (txn && code === ErrorCode.NONE && !unknown) {
      this.begin(txn);
      for (const t of topics) for (const p of t.partitions) if (!txn.partitions.includes(partKey(t.name, p))) txn.partitions.push(partKey(t.name, p));
      this.save(txn);
    }
    return result;
  }

  /** AddOffsetsToTxn: the group's offsets will be committed with the transaction. */
  addOffsets(transactionalId: string, producerId: number, epoch: number, groupId: string): number {
    const { txn, errorCode } = this.validate(transactionalId, producerId, epoch);
    if (!txn) return errorCode;
    if (txn.state === 'PrepareCommit' || txn.state === 'PrepareAbort') return ErrorCode.CONCURRENT_TRANSACTIONS;
    this.begin(txn);
    txn.offsets[groupId] ??= [];
    this.save(txn);
    return ErrorCode.NONE;
  }

  /** TxnOffsetCommit: stages offsets until EndTxn. */
  stageOffsets(transactionalId: string, producerId: number, epoch: number, groupId: string, offsets: CommittedOffset[]): number {
    const { txn, errorCode } = this.validate(transactionalId, producerId, epoch);
    if (!txn) return errorCode;
    if (txn.state !== 'Ongoing' || !(groupId in txn.offsets)) return ErrorCode.INVALID_TXN_STATE;
    const staged = txn.offsets[groupId]!.filter((o) => !offsets.some((n) => n.topic === o.topic && n.partition === o.partition));
    txn.offsets[groupId] = [...staged, ...offsets];
    this.save(txn);
    return ErrorCode.NONE;
  }

  /** EndTxn: writes the markers, applies or discards staged offsets. */
  endTxn(transactionalId: string, producerId: number, epoch: number, commit: boolean): number {
    const { txn, errorCode } = this.validate(transactionalId, producerId, epoch);
    if (!txn) return errorCode;
    const wanted = commit ? 'commit' : 'abort';
    if (txn.state === 'Empty') {
      // A retry of an EndTxn that completed, or an empty transaction: fine if it agrees.
      return txn.lastResult === null || txn.lastResult === wanted ? ErrorCode.NONE : ErrorCode.INVALID_TXN_STATE;
    }
    if (txn.state !== 'Ongoing') return ErrorCode.CONCURRENT_TRANSACTIONS;
    this.complete(txn, wanted);
    return ErrorCode.NONE;
  }

  private complete(txn: TxnState, result: 'commit' | 'abort'): void {
    txn.state = result === 'commit' ? 'PrepareCommit' : 'PrepareAbort';
    this.save(txn);
    const type = result === 'commit' ? ControlType.COMMIT : ControlType.ABORT;
    const now = Date.now();
    for (const key of txn.partitions) {
      const [topic, index] = splitKey(key);
      const p = this.broker.topics.partition(topic, index);
      // Only partitions that actually hold data of this transaction need a marker.
      if (p?.openTxns.has(txn.producerId)) p.append(buildControlBatch(txn.producerId, txn.epoch, type, now));
    }
    if (result === 'commit') for (const [group, offsets] of Object.entries(txn.offsets)) if (offsets.length) this.broker.groups.commitOffsets(group, offsets);
    txn.state = 'Empty';
    txn.partitions = [];
    txn.offsets = {};
    txn.lastResult = result;
    this.save(txn);
  }

  private abortAndFence(txn: TxnState, why: string): void {
    this.broker.logger.warn('aborting transaction', { transactionalId: txn.transactionalId, producerId: txn.producerId, why });
    this.complete(txn, 'abort');
    this.bumpEpoch(txn);
    this.save(txn);
  }

  /** Transactional produce is allowed only for partitions added to the producer's ongoing transaction. */
  checkTransactionalProduce(transactionalId: string | null, producerId: number, epoch: number, topic: string, partition: number): number {
    if (transactionalId === null) return ErrorCode.INVALID_TXN_STATE;
    const { txn, errorCode } = this.validate(transactionalId, producerId, epoch);
    if (!txn) return errorCode;
    if (txn.state !== 'Ongoing' || !txn.partitions.includes(partKey(topic, partition))) return ErrorCode.INVALID_TXN_STATE;
    return ErrorCode.NONE;
  }

  /** Aborts transactions that outlived their timeout. */
  tick(now: number): void {
    for (const txn of this.txns.values()) {
      if (txn.state === 'Ongoing' && now - txn.startedAt > txn.timeoutMs) this.abortAndFence(txn, `timed out after ${txn.timeoutMs} ms`);
    }
  }

  /** Closes the journal. */
  close(): void {
    this.journal.close();
  }
}
