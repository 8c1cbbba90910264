/**
 * The gateway's EventPublisher on Kafka: RawEvent records, Avro in the Confluent wire format,
 * key `tenantId:messageId` (UTF-8), acks=all through an idempotent kafkajs producer with the
 * murmur2 partitioner, coalesced by a CoalescingQueue (one produce request in flight, the rest
 * go out together in the next).
 *
 * Availability. kafkajs retries a send for a long time (reconnects, metadata refreshes); a caller
 * waits at most `publishTimeoutMs` and then gets `kafka_unavailable`. From then on, or after any
 * failed send, the publisher is unready: it refuses new publishes at once (503, no 5 s wait
 * each), throws that producer away and connects a new one, and takes publishes again once
 * connected. A request already sent may still be written later (the abandoned producer keeps
 * retrying it until kafkajs gives up): the client retries with the same messageId and dedup
 * drops the copy, so the outcome is at-least-once, never 200-and-drop.
 *
 * Why a new producer (new producer id) after every failed or abandoned send: kafkajs rolls an
 * idempotent sequence back when a request fails, so if a failed request had in fact been
 * appended, the next request would reuse its sequence numbers and the broker would take it for
 * a retry of the first and drop it, silently, while we answer 200.
 *
 * The schema registry is needed once, for the events.raw schema id. Until it answers (startup
 * with the registry down) publishes are refused with `registry_unavailable` and the publisher
 * keeps trying in the background; afterwards encoding never calls it.
 */
import type { Kafka, Producer } from 'kafkajs';
import { classifyError, describeError } from '@stratum/errors';
import type { Logger } from '@stratum/observability';
import { confluentRegistryClient, createSerde, type AvroSerde, type RawEvent, type RegistryClient } from '@stratum/schemas';
import { backoffDelay, createKafka, type BackoffPolicy, type KafkaConnection } from '@stratum/stream';
import { CoalescingQueue, type ProducedRecord } from './coalescing-queue';
import { Murmur2Partitioner } from './murmur2-partitioner';
import type { EventPublisher } from './event-publisher';
import type { PublishObserver } from './publish-observer';
import { PublishUnavailableError, isPublishUnavailable, publishErrors, DEFAULT_RETRY_AFTER_SECONDS } from './publish-errors';

export const DEFAULT_RAW_TOPIC = 'events.raw';
export const DEFAULT_PUBLISH_TIMEOUT_MS = 5_000;
/** Kafka's default max.request.size; one produce request stays below what any broker accepts. */
export const DEFAULT_MAX_BATCH_BYTES = 1024 * 1024;
export const DEFAULT_MAX_BATCH_RECORDS = 10_000;
export const DEFAULT_MAX_QUEUED_BYTES = 64 * 1024 * 1024;
const RECONNECT_BACKOFF: BackoffPolicy = { initialMs: 250, maxMs: 5_000 };

export interface KafkaPublisherOptions {
  kafka: KafkaConnection;
  registryUrl: string;
  logger: Logger;
  /** The raw topic (default events.raw). */
  topic?: string;
  /**
   * Registry subject of the values. Default `<topic>-value`: Confluent's TopicNameStrategy, what
   * `valueSubject` of @stratum/topics gives for the catalogue's events.raw and what the stage
   * runtime uses for its topics. Tests writing to a private copy pass `events.raw-value`.
   */
  subject?: string;
  /** How long a publish may wait for its acknowledgement before `kafka_unavailable` (default 5 s). */
  publishTimeoutMs?: number;
  /** What `retryAfterSeconds` says on unavailability errors (default 2). */
  retryAfterSeconds?: number;
  /** Caps of one produce request (defaults 1 MiB, 10,000 records); a bigger backlog is split. */
  maxBatchBytes?: number;
  maxBatchRecords?: number;
  /** Bytes waiting for Kafka beyond which publishes are refused as unavailable (default 64 MiB). */
  maxQueuedBytes?: number;
  observer?: PublishObserver;
  /** Overrides the registry client (tests); default `confluentRegistryClient(registryUrl)`. */
  registry?: RegistryClient;
}

export interface KafkaPublisher extends EventPublisher {
  /** Resolves the first time the publisher is ready (schema id known, producer connected); rejects if closed before. */
  whenReady(): Promise<void>;
}

/** Starts connecting at once (in the background) and returns; see the file comment. */
export function createKafkaPublisher(options: KafkaPublisherOptions): KafkaPublisher {
  const { logger } = options;
  const topic = options.topic ?? DEFAULT_RAW_TOPIC;
  const subject = options.subject ?? `${topic}-value`;
  const timeoutMs = options.publishTimeoutMs ?? DEFAULT_PUBLISH_TIMEOUT_MS;
  const retryAfterSeconds = options.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS;
  const maxQueuedBytes = options.maxQueuedBytes ?? DEFAULT_MAX_QUEUED_BYTES;
  const registry = options.registry ?? confluentRegistryClient(options.registryUrl);
  const kafka: Kafka = createKafka(options.kafka, logger);
  const observer = options.observer;

  let serde: AvroSerde<RawEvent> | null = null;
  /** The producer sends go to; null while (re)connecting. */
  let producer: Producer | null = null;
  let connecting: Promise<void> | null = null;
  /** A producer whose connect() is under way, so close() can abandon it. */
  let pending: Producer | null = null;
  let closed = false;
  let wakeUp: (() => void) | null = null;
  let lastProblem: unknown = null;
  const readyWaiters: { resolve(): void; reject(err: Error): void }[] = [];

  const unavailable = (code: 'kafka_unavailable' | 'registry_unavailable', message: string, cause?: unknown) =>
    new PublishUnavailableError(code, message, { cause, retryAfterSeconds });
  const whyUnavailable = (): Error => {
    if (closed) return new PublishUnavailableError('publisher_closed', 'the gateway is shutting down', { retryAfterSeconds });
    if (serde === null) return unavailable('registry_unavailable', `no schema id for ${subject} yet: ${describeError(lastProblem)}`, lastProblem);
    return unavailable('kafka_unavailable', `Kafka is unavailable (reconnecting): ${describeError(lastProblem)}`, lastProblem);
  };

  const newProducer = (): Producer =>
    kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      // Murmur2, as the Java client and the catalogue's key docs assume (kafkajs's DefaultPartitioner rule, faster).
      createPartitioner: Murmur2Partitioner,
      // A missing topic is an operator error to report, not a topic to create with broker defaults.
      allowAutoTopicCreation: false,
    });

  async function send(records: ProducedRecord[]): Promise<void> {
    const target = producer;
    if (target === null) throw unavailable('kafka_unavailable', 'no producer connected');
    const sent = target.sendBatch({ acks: -1, topicMessages: [{ topic, messages: records as { key: Buffer; value: Buffer }[] }] });
    // A send abandoned at its deadline keeps retrying inside kafkajs and may reconnect its
    // (discarded) producer; disconnect it again once it is over so no connection leaks.
    sent.then(
      () => retire(target),
      () => retire(target),
    );
    await sent;
  }

  function retire(old: Producer): void {
    if (old !== producer) old.disconnect().catch(() => undefined);
  }

  /** Drops the current producer and connects a fresh one (new producer id); the queue refuses publishes meanwhile. */
  function reconnect(problem: unknown): void {
    lastProblem = problem;
    queue.pause(whyUnavailable);
    const old = producer;
    producer = null;
    if (old) retire(old);
    if (!connecting && !closed) connecting = establish();
  }

  const queue = new CoalescingQueue({
    send,
    maxBatchBytes: options.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES,
    maxBatchRecords: options.maxBatchRecords ?? DEFAULT_MAX_BATCH_RECORDS,
    maxQueuedBytes,
    timeoutMs,
    onSendFailed(err) {
      logger.warn({ err, topic }, 'produce request failed; reconnecting the producer');
      reconnect(err);
      if (isPublishUnavailable(err)) return err;
      if (classifyError(err) === 'retriable') return unavailable('kafka_unavailable', `Kafka did not take the events: ${describeError(err)}`, err);
      return publishErrors.error('publish_failed', `Kafka refused the events: ${describeError(err)}`, { cause: err });
    },
    onSendTimedOut() {
      logger.warn({ topic, timeoutMs }, 'produce request not acknowledged in time; reconnecting the producer');
      reconnect(new Error(`a produce request was not acknowledged within ${timeoutMs} ms`));
    },
    timedOut: () =>
      unavailable('kafka_unavailable', `Kafka did not acknowledge the events within ${timeoutMs} ms; they may still be written, so retry with the same messageIds`),
    overloaded: () => unavailable('kafka_unavailable', `more than ${maxQueuedBytes} bytes are waiting for Kafka`),
    ...(observer?.onSend ? { onSend: observer.onSend } : {}),
  });
  queue.pause(whyUnavailable);

  /** Until closed: get the schema id (once), connect a producer, resume the queue; back off between attempts. */
  async function establish(): Promise<void> {
    for (let attempt = 1; !closed; attempt++) {
      try {
        serde ??= await createSerde(registry, 'events.raw', subject);
        const fresh = newProducer();
        pending = fresh;
        await fresh.connect().finally(() => (pending = null));
        if (closed) {
          await fresh.disconnect().catch(() => undefined);
          break;
        }
        producer = fresh;
        lastProblem = null;
        queue.resume();
        logger.info({ topic, subject, schemaId: serde.schemaId }, 'event publisher ready');
        for (const w of readyWaiters.splice(0)) w.resolve();
        break;
      } catch (err) {
        if (closed) break;
        lastProblem = err;
        queue.pause(whyUnavailable);
        const delayMs = backoffDelay(attempt, RECONNECT_BACKOFF);
        if (classifyError(err) === 'retriable') logger.warn({ err, attempt, delayMs }, serde === null ? 'schema registry unavailable; retrying' : 'Kafka unavailable; retrying');
        // e.g. the registry refuses events.raw's schema (incompatible subject): an operator must act.
        else logger.error({ err, attempt, delayMs }, 'cannot start publishing events; retrying');
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delayMs);
          wakeUp = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wakeUp = null;
      }
    }
    connecting = null;
  }
  connecting = establish();

  function encode(events: readonly RawEvent[], codec: AvroSerde<RawEvent>): ProducedRecord[] {
    const records: ProducedRecord[] = new Array(events.length);
    for (let i = 0; i < events.length; i++) {
      const event = events[i]!;
      records[i] = { key: Buffer.from(`${event.tenantId}:${event.messageId}`), value: codec.encode(event) };
    }
    return records;
  }

  function publishNow(events: readonly RawEvent[]): Promise<void> {
    if (closed || serde === null || queue.paused) return Promise.reject(whyUnavailable());
    let records: ProducedRecord[];
    try {
      records = encode(events, serde); // SerdeError(invalid_value): a bug upstream, not a 503
    } catch (err) {
      return Promise.reject(err);
    }
    return queue.enqueue(records);
  }

  return {
    publish(events) {
      if (!observer?.onPublish) return publishNow(events);
      const started = performance.now();
      const done = publishNow(events);
      const report = (outcome: 'ok' | 'unavailable' | 'error') =>
        observer.onPublish!({ records: events.length, durationSeconds: (performance.now() - started) / 1000, outcome });
      done.then(
        () => report('ok'),
        (err: unknown) => report(isPublishUnavailable(err) ? 'unavailable' : 'error'),
      );
      return done;
    },
    isReady: () => !closed && producer !== null && !queue.paused,
    whenReady() {
      if (closed) return Promise.reject(whyUnavailable());
      if (producer !== null && !queue.paused) return Promise.resolve();
      return new Promise((resolve, reject) => readyWaiters.push({ resolve, reject }));
    },
    async close() {
      if (closed) return;
      closed = true;
      wakeUp?.();
      // New publishes are refused from here; what is queued goes out (each bounded by its deadline).
      await queue.drained();
      // A connect under way is abandoned, not awaited: kafkajs may retry it for many seconds.
      await pending?.disconnect().catch(() => undefined);
      for (const w of readyWaiters.splice(0)) w.reject(whyUnavailable());
      const last = producer;
      producer = null;
      await last?.disconnect().catch(() => undefined);
    },
  };
}
