/**
 * Appends records to `_schemas` in Kafka transactions under one transactional id shared by every
 * replica. InitProducerId for that id bumps its epoch: it aborts whatever transaction another
 * replica had open and makes every later request of that replica's producer fail
 * (INVALID_PRODUCER_EPOCH). The store uses that as a compare-and-set (see store.ts).
 *
 * kafkajs initialises a transactional producer once, on its first transaction, so "initialise
 * again" means "a new producer": `reset()` drops the current one and the next `begin()` creates
 * another, whose first transaction sends InitProducerId.
 */
import { Partitioners, type Kafka, type Producer, type Transaction } from 'kafkajs';
import type { RegistryLogger } from '../logger';
import { encodeRecord, type LogRecord } from '../records';

/** A write transaction lasts milliseconds; a replica that dies inside one holds the LSO at most this long. */
const TRANSACTION_TIMEOUT_MS = 10_000;

export class LogWriter {
  private producer: Producer | null = null;

  constructor(
    private readonly kafka: Kafka,
    private readonly topic: string,
    private readonly transactionalId: string,
    private readonly logger: RegistryLogger,
  ) {}

  /**
   * Starts a transaction. With a new producer this first sends InitProducerId, which fences
   * every other replica's writer; with the current one it is local only.
   */
  async begin(): Promise<Transaction> {
    if (!this.producer) {
      const producer = this.kafka.producer({
        transactionalId: this.transactionalId,
        idempotent: true,
        maxInFlightRequests: 1,
        transactionTimeout: TRANSACTION_TIMEOUT_MS,
        allowAutoTopicCreation: false,
        createPartitioner: Partitioners.DefaultPartitioner,
        // Finite: a failed write is retried as a whole by the store, with a fresh decision.
        retry: { retries: 3, initialRetryTime: 50, maxRetryTime: 500 },
      });
      this.producer = producer;
      await producer.connect();
    }
    return this.producer.transaction();
  }

  /** Sends the records in `txn` and commits; resolves with the offset after the last record. */
  async commit(txn: Transaction, records: LogRecord[]): Promise<number> {
    const messages = records.map((r) => ({ ...encodeRecord(r), partition: 0 }));
    const [meta] = await txn.send({ topic: this.topic, messages, acks: -1 });
    await txn.commit();
    if (!meta) throw new Error('the broker returned no offset for the schema log write');
    return Number(meta.baseOffset) + messages.length;
  }

  /** Drops the producer, so the next `begin()` initialises a new one (after a fence or any error). */
  async reset(): Promise<void> {
    const producer = this.producer;
    this.producer = null;
    await producer?.disconnect().catch((err: unknown) => this.logger.debug('closing a failed schema log producer', { error: String(err) }));
  }

  /** Closes the producer. */
  async stop(): Promise<void> {
    await this.reset();
  }
}
