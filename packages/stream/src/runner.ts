/**
 * Runs a stage on kafkajs. The guarantee (docs/stream.md) is the stage's `delivery`:
 * - at-least-once (default): per partition, a chunk of records is decoded, run through the steps,
 *   its outputs are produced with acks=all (an idempotent producer), and only then is its offset
 *   committed. A crash anywhere before the commit replays the chunk: outputs written before the
 *   crash are written again, and every stage is idempotent by messageId so the copies are
 *   absorbed downstream. Nothing is committed that was not acknowledged first, so nothing is lost.
 * - exactly-once: the outputs and the offset go in one Kafka transaction (delivery/), so a replay
 *   leaves no visible copy.
 *
 * Retriable failures (broker or PostgreSQL down) pause the partition, seek back to the first
 * uncommitted record and resume after a jittered, growing backoff; a `retry` step result does
 * the same from that record. Unknown errors are fatal: `done` rejects and the process should
 * exit so its supervisor restarts it (never swallow).
 */
import kafkajs, { type Consumer, type EachBatchPayload, type Kafka } from 'kafkajs';
import { classifyError, describeError } from '@stratum/errors';
import type { Logger, StageMetrics } from '@stratum/observability';
import { confluentRegistryClient, createReader, createSerde, type AvroSerde, type SchemaName } from '@stratum/schemas';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff';
import { processChunk, type ChunkResult, type InputRecord, type RecordOutcome, type StageSerdes } from './batch-processor';
import { atLeastOnceDelivery, type OutputDelivery } from './delivery/output-delivery';
import { transactionalDelivery } from './delivery/transactional-delivery';
import { FAILPOINTS, NO_FAILPOINTS, type Failpoints } from './failpoints';
import { createKafka, type KafkaConnection } from './kafka';
import type { OutputSchemas, StageDefinition } from './stage';

const { KafkaJSError, Partitioners } = kafkajs;

export interface StageTopics<O extends OutputSchemas> {
  /**
   * The topic to consume, or several carrying the same schema (the retry stage's delay tiers):
   * one consumer group, each topic-partition paused and committed on its own.
   */
  input: string | readonly string[];
  outputs: { [K in keyof O]: string };
}

export interface RunStageOptions<O extends OutputSchemas> {
  kafka: KafkaConnection;
  registryUrl: string;
  groupId: string;
  topics: StageTopics<O>;
  logger: Logger;
  metrics: StageMetrics;
  /** Records handed to the steps at once (bounded memory per partition). Default 500. */
  batchSize?: number;
  /** Partitions processed in parallel by this instance. Default 1. */
  partitionsConsumedConcurrently?: number;
  backoff?: BackoffPolicy;
  /** How long stop() may take before the in-flight batch is abandoned. Default 30 s. */
  shutdownTimeoutMs?: number;
  /** Kafka consumer session timeout. Default 30 s (kafkajs's). */
  sessionTimeoutMs?: number;
  /** Called last on stop: close pools and clients the steps use. */
  onStop?: () => Promise<void>;
  /** Crash points armed by tests (STRATUM_FAILPOINTS); none by default. */
  failpoints?: Failpoints;
}

export interface RunningStage {
  /** Resolves after a clean stop; rejects with the error that made the stage crash. */
  readonly done: Promise<void>;
  /** Whether the consumer is in its group and running (for /readyz). */
  isReady(): boolean;
  /** Stops fetching, finishes or abandons the batch in flight, leaves the group, closes clients. */
  stop(): Promise<void>;
}

/**
 * Kafka answers these when the group moved on while a batch was in flight, or (exactly-once) when
 * a newer owner of the partition fenced this instance's transactional id: abandon the batch, don't crash.
 */
const REBALANCE_ERRORS = new Set(['REBALANCE_IN_PROGRESS', 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID', 'NOT_COORDINATOR', 'INVALID_PRODUCER_EPOCH', 'PRODUCER_FENCED']);

function isRebalance(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof KafkaJSError && depth < 5; depth++) {
    if (REBALANCE_ERRORS.has((e as { type?: string }).type ?? '')) return true;
    e = (e as { cause?: unknown; originalError?: unknown }).cause ?? (e as { originalError?: unknown }).originalError;
  }
  return false;
}

/** Starts the stage: serdes (registry), producer, consumer group; resolves when it is consuming. */
export async function startStage<I extends SchemaName, O extends OutputSchemas, V>(stage: StageDefinition<I, O, V>, options: RunStageOptions<O>): Promise<RunningStage> {
  const { logger, metrics, topics } = options;
  const batchSize = options.batchSize ?? 500;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const registry = confluentRegistryClient(options.registryUrl);
  const outputSerdes = {} as Record<string, AvroSerde<unknown>>;
  for (const [name, schema] of Object.entries(stage.outputs)) {
    outputSerdes[name] = (await createSerde(registry, schema, `${topics.outputs[name]}-value`)) as AvroSerde<unknown>;
  }
  const inputTopics = typeof topics.input === 'string' ? [topics.input] : [...topics.input];
  if (inputTopics.length === 0) throw new Error(`stage ${stage.name}: no input topic`);
  // Decoding goes by the schema id each record carries; the subject only finds the reader's own schema.
  const serdes = { input: await createReader(registry, stage.input, `${inputTopics[0]}-value`), outputs: outputSerdes } as unknown as StageSerdes<O>;

  const kafka: Kafka = createKafka(options.kafka, logger);
  const failpoints = options.failpoints ?? NO_FAILPOINTS;
  const delivery: OutputDelivery =
    stage.delivery === 'exactly-once'
      ? transactionalDelivery({ kafka, groupId: options.groupId, logger, failpoints })
      : atLeastOnceDelivery(
          // Murmur2, as the Java client and the catalogue's key docs assume (and kafkajs 2's default, named to silence its warning).
          await connected(kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner })),
          commitThroughConsumer,
          failpoints,
        );
  const consumer: Consumer = kafka.consumer({
    groupId: options.groupId,
    sessionTimeout: options.sessionTimeoutMs ?? 30_000,
    maxBytesPerPartition: 1024 * 1024,
    maxBytes: 8 * 1024 * 1024,
  });

  let joined = false;
  let stopping: Promise<void> | null = null;
  let failed: ((err: unknown) => void) | null = null;
  let finished: (() => void) | null = null;
  const done = new Promise<void>((resolve, reject) => {
    finished = resolve;
    failed = reject;
  });
  done.catch(() => undefined); // observed by the caller; never an unhandled rejection here
  const timers = new Set<NodeJS.Timeout>();
  const pausedPartitions = new Set<string>();
  const failures = new Map<string, number>();

  /** Partitions whose lag this instance reports (key topic/partition), so a rebalance can drop the ones it lost. */
  const lagSeries = new Map<string, { topic: string; partition: number }>();
  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    joined = true;
    metrics.countRebalance();
    const assigned = new Set(Object.entries(e.payload.memberAssignment).flatMap(([t, ps]) => ps.map((p) => `${t}/${p}`)));
    delivery.assigned(assigned);
    for (const [key, { topic, partition }] of lagSeries) {
      if (assigned.has(key)) continue;
      metrics.clearConsumerLag(topic, partition);
      lagSeries.delete(key);
    }
    logger.info({ groupId: options.groupId, memberId: e.payload.memberId, assignment: e.payload.memberAssignment }, 'joined the consumer group');
  });
  consumer.on(consumer.events.CRASH, (e) => {
    joined = false;
    if (!e.payload.restart) fatal(e.payload.error);
    else logger.warn({ err: e.payload.error }, 'consumer crashed; kafkajs restarts it');
  });

  function fatal(err: unknown): void {
    logger.fatal({ err, error: describeError(err) }, `stage ${stage.name} crashed on an unknown error; exiting for the supervisor to restart it`);
    const reject = failed;
    failed = null;
    void shutdown().finally(() => reject?.(err));
  }

  /** Stops fetching `partition` for `delayMs`, then resumes from `offset`. */
  function pauseAt(topic: string, partition: number, offset: string, delayMs: number): void {
    const key = `${topic}/${partition}`;
    consumer.pause([{ topic, partitions: [partition] }]);
    consumer.seek({ topic, partition, offset });
    pausedPartitions.add(key);
    metrics.setPaused(true);
    const timer = setTimeout(() => {
      timers.delete(timer);
      pausedPartitions.delete(key);
      if (pausedPartitions.size === 0) metrics.setPaused(false);
      if (!stopping) consumer.resume([{ topic, partitions: [partition] }]);
    }, delayMs);
    timers.add(timer);
  }

  async function commitThroughConsumer(topic: string, partition: number, offset: string): Promise<void> {
    try {
      await consumer.commitOffsets([{ topic, partition, offset }]);
    } catch (err) {
      metrics.countCommitFailure();
      throw err;
    }
  }

  function count(chunk: readonly InputRecord[], result: ChunkResult, startedAt: bigint): void {
    metrics.observeBatchDuration(Number(process.hrtime.bigint() - startedAt) / 1e9);
    const now = Date.now();
    // One counter update per distinct (output, outcome, reason) of the chunk, not per record.
    const tally = new Map<string, { output: string; outcome: RecordOutcome['outcome']; reason: string; n: number }>();
    for (const o of result.outcomes) {
      for (const output of o.outputs.length > 0 ? o.outputs : ['']) {
        const key = `${output}\u0000${o.outcome}\u0000${o.reason}`;
        const t = tally.get(key);
        if (t) t.n++;
        else tally.set(key, { output, outcome: o.outcome, reason: o.reason, n: 1 });
      }
    }
    for (const t of tally.values()) metrics.countRecordsOut(t.outcome === 'ok' ? { output: t.output, outcome: 'ok' } : { output: t.output, outcome: t.outcome, reason: t.reason }, t.n);
    for (const rec of chunk.slice(0, result.outcomes.length)) metrics.observeRecordAge(rec.ctx.timestamp, now);
  }

  async function eachBatch({ batch, isRunning, isStale, heartbeat, resolveOffset }: EachBatchPayload): Promise<void> {
    const { topic, partition } = batch;
    const key = `${topic}/${partition}`;
    const log = logger.child({ topic, partition });
    for (let i = 0; i < batch.messages.length; ) {
      if (!isRunning() || isStale()) return;
      const chunk: InputRecord[] = batch.messages.slice(i, i + batchSize).map((m) => ({
        ctx: { topic, partition, offset: m.offset, timestamp: Number(m.timestamp), key: m.key, headers: headersOf(m.headers) },
        value: m.value,
      }));
      metrics.countRecordsIn(topic, chunk.length);
      const startedAt = process.hrtime.bigint();
      let result: ChunkResult;
      try {
        result = await processChunk(stage, serdes, chunk);
        await failpoints.hit(FAILPOINTS.afterSteps);
        // The partition may have been taken away while the steps ran: its next owner redoes this chunk.
        if (!isRunning() || isStale()) return;
        await heartbeat();
        const delivered = await delivery.deliver(
          { topic, partition, chunkStart: chunk[0]!.ctx.offset, records: result.records, commitOffset: result.commitOffset },
          (output) => topics.outputs[output]!,
        );
        if (delivered.kind === 'superseded') {
          consumer.seek({ topic, partition, offset: delivered.committedOffset });
          return;
        }
        await failpoints.hit(FAILPOINTS.afterCommit);
      } catch (err) {
        if (isRebalance(err)) {
          log.warn({ error: describeError(err) }, 'rebalance while a chunk was in flight; abandoned it (its next owner replays it)');
          return;
        }
        if (classifyError(err) === 'retriable') {
          const attempt = (failures.get(key) ?? 0) + 1;
          failures.set(key, attempt);
          const delay = backoffDelay(attempt, backoff);
          metrics.countRetry(String((err as { code?: unknown }).code ?? 'retriable'));
          reportLag(topic, partition, BigInt(batch.highWatermark) - BigInt(chunk[0]!.ctx.offset));
          log.warn({ error: describeError(err), attempt, delayMs: delay, offset: chunk[0]!.ctx.offset }, 'retriable failure; pausing the partition and retrying from the first uncommitted record');
          pauseAt(topic, partition, chunk[0]!.ctx.offset, delay);
          return;
        }
        fatal(err);
        return;
      }
      failures.delete(key);
      // kafkajs fetches on from the resolved offset: without this it would hand us the batch again.
      if (result.commitOffset !== null) resolveOffset((BigInt(result.commitOffset) - 1n).toString());
      count(chunk, result, startedAt);
      if (result.retry) {
        metrics.countRetry(result.retry.reason);
        reportLag(topic, partition, BigInt(batch.highWatermark) - BigInt(result.retry.offset));
        log.info({ offset: result.retry.offset, afterMs: result.retry.afterMs, reason: result.retry.reason }, 'a step asked to retry; pausing the partition');
        pauseAt(topic, partition, result.retry.offset, result.retry.afterMs);
        return;
      }
      i += chunk.length;
    }
    reportLag(topic, partition, BigInt(batch.offsetLag()));
  }

  /**
   * The partition's lag as of this batch. Also called when a chunk pauses the partition (a
   * retriable failure, a step's retry), with the lag from the record it will resume at: a stage
   * stuck retrying, or a retry tier waiting on a head not yet due, shows its lag growing instead
   * of the value of its last completed batch.
   */
  function reportLag(topic: string, partition: number, records: bigint): void {
    metrics.setConsumerLag(topic, partition, Number(records > 0n ? records : 0n));
    lagSeries.set(`${topic}/${partition}`, { topic, partition });
  }

  async function shutdown(): Promise<void> {
    stopping ??= (async () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      const deadline = options.shutdownTimeoutMs ?? 30_000;
      let timer: NodeJS.Timeout | undefined;
      const expired = new Promise<'expired'>((resolve) => (timer = setTimeout(() => resolve('expired'), deadline)));
      const outcome = await Promise.race([consumer.disconnect().then(() => 'clean' as const), expired]);
      clearTimeout(timer);
      if (outcome === 'expired') logger.error({ deadlineMs: deadline }, 'shutdown deadline passed with a batch in flight; abandoning it (it will be replayed)');
      joined = false;
      await delivery.close().catch((err: unknown) => logger.warn({ error: describeError(err) }, 'producer did not disconnect cleanly'));
      await options.onStop?.();
    })();
    return stopping;
  }

  await consumer.connect();
  await consumer.subscribe({ topics: inputTopics, fromBeginning: true });
  await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 1, eachBatch });
  logger.info({ stage: stage.name, input: topics.input, outputs: topics.outputs, groupId: options.groupId, delivery: stage.delivery ?? 'at-least-once' }, 'stage started');

  return {
    done,
    isReady: () => joined && !stopping,
    async stop() {
      await shutdown();
      finished?.();
    },
  };
}

async function connected<P extends { connect(): Promise<void> }>(client: P): Promise<P> {
  await client.connect();
  return client;
}

function headersOf(headers: Record<string, Buffer | string | (Buffer | string)[] | undefined> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) if (v !== undefined) out[k] = (Array.isArray(v) ? v[v.length - 1]! : v).toString();
  return out;
}
