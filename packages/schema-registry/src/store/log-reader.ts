/**
 * Tails the `_schemas` topic into the RegistryState, for the life of the replica.
 *
 * A kafkajs consumer in a group of its own (a fresh group id per replica and per run, so no
 * committed offset ever exists: every run reads the topic from the beginning, and the registry
 * never commits). It reads READ_COMMITTED, so records of aborted (fenced) transactions are
 * never applied.
 *
 * `position` is the offset after the last one consumed, control records and aborted records
 * included: it comes from kafkajs's END_BATCH_PROCESS event, which fires for batches that hold
 * only filtered records too (eachBatch does not). A replay (kafkajs rejoining the group after a
 * broker restart starts again from the beginning) skips offsets below `position`, so every record
 * is applied exactly once and in log order.
 */
import { randomBytes } from 'node:crypto';
import type { Consumer, Kafka } from 'kafkajs';
import { registryError } from '../errors';
import type { RegistryLogger } from '../logger';
import { decodeRecord } from '../records';
import type { RegistryState } from '../state';

interface Waiter {
  offset: number;
  resolve: () => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

export class LogReader {
  private consumer: Consumer | null = null;
  private next = 0;
  private waiters: Waiter[] = [];
  private stopped = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly topic: string,
    private readonly state: RegistryState,
    private readonly logger: RegistryLogger,
  ) {}

  /** The offset after the last record applied to the state. */
  get position(): number {
    return this.next;
  }

  /** Joins a fresh group and starts consuming from the beginning. */
  async start(): Promise<void> {
    const groupId = `stratum-schema-registry-${randomBytes(8).toString('hex')}`;
    const consumer = this.kafka.consumer({ groupId, maxWaitTimeInMs: 250, allowAutoTopicCreation: false });
    this.consumer = consumer;
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      if (payload.topic === this.topic && payload.partition === 0) this.advance(Number(payload.lastOffset) + 1);
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      this.logger.warn('schema log reader crashed', { error: payload.error.message, restart: payload.restart });
      if (!payload.restart && !this.stopped) void this.restart(consumer);
    });
    await consumer.connect();
    await consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) {
          const offset = Number(message.offset);
          if (offset < this.next) continue;
          try {
            const record = decodeRecord(message.key, message.value);
            if (record) this.state.apply(record);
          } catch (err) {
            this.logger.warn('skipping an unreadable record of the schema log', { topic: this.topic, offset, error: (err as Error).message });
          }
        }
      },
    });
  }

  /** kafkajs gave up on this consumer (it does so only for errors it deems fatal): start another. */
  private async restart(dead: Consumer): Promise<void> {
    await dead.disconnect().catch(() => undefined);
    if (this.stopped || this.consumer !== dead) return;
    try {
      await this.start();
    } catch (err) {
      this.logger.error('could not restart the schema log reader', { error: (err as Error).message });
    }
  }

  private advance(next: number): void {
    if (next <= this.next) return;
    this.next = next;
    const ready = this.waiters.filter((w) => w.offset <= next);
    if (ready.length === 0) return;
    this.waiters = this.waiters.filter((w) => w.offset > next);
    for (const w of ready) {
      clearTimeout(w.timer);
      w.resolve();
    }
  }

  /** Resolves once every record before `offset` is applied; a store error (50001) at `deadline`. */
  waitFor(offset: number, deadline: number): Promise<void> {
    if (offset <= this.next) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        offset,
        resolve,
        reject,
        timer: setTimeout(
          () => {
            this.waiters = this.waiters.filter((w) => w !== waiter);
            reject(registryError('STORE_ERROR', `Timed out reading the schema log up to offset ${offset} (at ${this.next})`));
          },
          Math.max(0, deadline - Date.now()),
        ),
      };
      this.waiters.push(waiter);
    });
  }

  /** Leaves the group and fails pending waits. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const w of this.waiters) {
      clearTimeout(w.timer);
      w.reject(registryError('STORE_ERROR', 'The registry is stopping'));
    }
    this.waiters = [];
    await this.consumer?.disconnect();
  }
}
