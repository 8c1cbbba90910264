/**
 * The registry's storage: the `_schemas` topic, read into a RegistryState by a LogReader and
 * written by a LogWriter. The process keeps no state of its own; a new replica reads the topic
 * to its end before it serves anything.
 *
 * Write protocol (a compare-and-set on the log, safe with any number of replicas):
 *   1. begin a transaction; if this replica holds no producer id, initialise one first — that
 *      InitProducerId fences every other replica's writer and aborts its open transaction;
 *   2. read the topic to its end: the last stable offset, READ_COMMITTED, taken after step 1;
 *   3. decide (ids, versions, compatibility) against that state;
 *   4. append the records and commit; wait until the reader has applied them.
 * A commit under epoch E succeeds only if no replica initialised the transactional id after E
 * was issued. Every other replica's commit that can precede it therefore happened before E was
 * issued, hence before step 2, so the decision saw it. A replica that keeps its producer keeps
 * that guarantee between writes: any write by another replica in between bumps the epoch and
 * fails the next commit. A failed attempt (fenced or any Kafka error) drops the producer, backs
 * off with jitter and starts again from step 1 with a fresh decision, until the time limit.
 */
import { Kafka, logLevel, type Admin, type Transaction } from 'kafkajs';
import { RegistryError, registryError } from '../errors';
import { kafkajsLogCreator, type RegistryLogger } from '../logger';
import type { Decision } from '../operations';
import { RegistryState } from '../state';
import { backoffMs, sleep, withDeadline } from './deadline';
import { LogReader } from './log-reader';
import { LogWriter } from './log-writer';
import { Mutex } from './mutex';

export interface StoreOptions {
  brokers: string[];
  topic: string;
  logger: RegistryLogger;
  /** Limit for one write or one catch-up before it fails with 50001. */
  timeoutMs: number;
}

export class SchemaStore {
  readonly state = new RegistryState();
  private readonly kafka: Kafka;
  private readonly admin: Admin;
  private readonly reader: LogReader;
  private readonly writer: LogWriter;
  private readonly writes = new Mutex();

  constructor(private readonly options: StoreOptions) {
    this.kafka = new Kafka({
      clientId: 'stratum-schema-registry',
      brokers: options.brokers,
      connectionTimeout: 3_000,
      retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 1_000 },
      logLevel: logLevel.WARN,
      logCreator: kafkajsLogCreator(options.logger),
    });
    this.admin = this.kafka.admin();
    this.reader = new LogReader(this.kafka, options.topic, this.state, options.logger);
    this.writer = new LogWriter(this.kafka, options.topic, `${options.topic}-writer`, options.logger);
  }

  /** Connects, creates the topic if it is missing, and reads it to its end (bounded by `deadline`). */
  async start(deadline: number): Promise<void> {
    await this.connectAdmin(deadline);
    await withDeadline(this.ensureTopic(), deadline, `creating topic ${this.options.topic}`);
    await withDeadline(this.reader.start(), deadline, 'starting the schema log reader');
    await this.catchUp(deadline);
  }

  private async connectAdmin(deadline: number): Promise<void> {
    const started = Date.now();
    let lastKafkaError = '';
    for (;;) {
      try {
        await withDeadline(this.admin.connect(), deadline, `connecting to Kafka at ${this.options.brokers.join(',')}`);
        return;
      } catch (err) {
        const cause = (err as Error).cause;
        if (cause instanceof Error) lastKafkaError = cause.message;
        if (Date.now() >= deadline) {
          const seconds = ((Date.now() - started) / 1000).toFixed(0);
          throw registryError('STORE_ERROR', `Could not reach Kafka at ${this.options.brokers.join(',')} within ${seconds} s${lastKafkaError ? ` (${lastKafkaError})` : ''}`, { cause: err });
        }
        await sleep(250);
      }
    }
  }

  private async ensureTopic(): Promise<void> {
    const { topic } = this.options;
    // Ask first: creating a topic that exists makes kafkajs log a warning on every restart.
    const exists = (await this.admin.listTopics()).includes(topic);
    const created = !exists && await this.admin.createTopics({
      topics: [{ topic, numPartitions: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }],
      waitForLeaders: true,
    });
    if (created) this.options.logger.info('created the schema topic', { topic });
    const metadata = await this.admin.fetchTopicMetadata({ topics: [topic] });
    const partitions = metadata.topics[0]?.partitions.length ?? 0;
    // Offsets order every write; with several partitions there is no single order to agree on.
    if (partitions !== 1) throw new Error(`topic ${topic} has ${partitions} partitions; the schema registry needs exactly 1`);
  }

  /** Waits until the state holds every record committed before this call (50001 at `deadline`). */
  async catchUp(deadline = Date.now() + this.options.timeoutMs): Promise<void> {
    const offsets = await withDeadline(this.admin.fetchTopicOffsets(this.options.topic), deadline, 'reading the end of the schema log');
    // Under READ_COMMITTED (kafkajs's default for ListOffsets) "high" is the last stable offset.
    const end = Number(offsets.find((p) => p.partition === 0)?.offset ?? 0);
    await this.reader.waitFor(end, deadline);
  }

  /**
   * Runs a read against the state. Another replica may have written what was asked for a moment
   * ago, so a "not found" (any 404) is answered only after catching up with the log.
   */
  async read<T>(read: (state: RegistryState) => T): Promise<T> {
    try {
      return read(this.state);
    } catch (err) {
      if (!(err instanceof RegistryError) || err.status !== 404) throw err;
    }
    await this.catchUp();
    return read(this.state);
  }

  /**
   * Runs one write (see the protocol above); the decision's own errors are rethrown unchanged.
   * The registry's decisions are synchronous; tests pass an async one to slip another writer in
   * between the catch-up and the commit.
   */
  write<T>(decide: (state: RegistryState) => Decision<T> | Promise<Decision<T>>): Promise<T> {
    return this.writes.run(async () => {
      const deadline = Date.now() + this.options.timeoutMs;
      for (let attempt = 1; ; attempt++) {
        try {
          const txn = await withDeadline(this.writer.begin(), deadline, 'initialising the schema log writer');
          await this.catchUp(deadline);
          const decision = await decideOrAbort(txn, this.state, decide);
          if (decision.records.length === 0) {
            await txn.abort(); // nothing was sent: kafkajs ends it without asking the broker
            return decision.result;
          }
          const end = await withDeadline(this.writer.commit(txn, decision.records), deadline, 'writing to the schema log');
          await this.reader.waitFor(end, deadline);
          return decision.result;
        } catch (err) {
          if (err instanceof DecisionError) throw err.cause;
          await this.writer.reset();
          const left = deadline - Date.now();
          this.options.logger.debug('schema log write attempt failed', { attempt, error: errorType(err), leftMs: left });
          if (left <= 0) {
            if (err instanceof RegistryError) throw err;
            throw registryError('STORE_ERROR', `Could not write to the schema log: ${(err as Error).message}`, { cause: err });
          }
          await sleep(Math.min(left, backoffMs(attempt)));
        }
      }
    });
  }

  /** Closes the Kafka clients (after the write in progress, if any). */
  async stop(): Promise<void> {
    await this.writes.run(async () => undefined).catch(() => undefined);
    await Promise.allSettled([this.reader.stop(), this.writer.stop(), this.admin.disconnect()]);
  }
}

/** A decision's own outcome (a client error, or a bug): never retried. */
class DecisionError extends Error {
  constructor(override readonly cause: unknown) {
    super('decision failed');
  }
}

async function decideOrAbort<T>(txn: Transaction, state: RegistryState, decide: (state: RegistryState) => Decision<T> | Promise<Decision<T>>): Promise<Decision<T>> {
  try {
    return await decide(state);
  } catch (err) {
    // Nothing was sent in this transaction yet, so kafkajs ends it locally.
    txn.abort().catch(() => undefined);
    throw new DecisionError(err);
  }
}

/** The kafkajs error type (e.g. INVALID_PRODUCER_EPOCH when fenced), for logs. */
function errorType(err: unknown): string {
  const e = err as { type?: unknown; cause?: unknown; message?: unknown };
  if (typeof e?.type === 'string') return e.type;
  if (e?.cause) return errorType(e.cause);
  return String(e?.message ?? err);
}
