/**
 * The gateway's one way into Kafka: publish a request's events to events.raw and resolve only
 * once the broker acknowledged all of them (acks=all). Requests arriving while a write is in
 * flight are coalesced into the next produce request, so throughput does not cost one round
 * trip per HTTP request.
 */
import type { RawEvent } from '@stratum/schemas';

export interface EventPublisher {
  /**
   * Resolves when every event is acknowledged by all in-sync replicas. Rejects with a
   * `PublishUnavailableError` (code `kafka_unavailable`, `retryAfterSeconds`) when Kafka or the
   * registry cannot take them in time: the caller answers 503 and nothing is reported accepted.
   */
  publish(events: readonly RawEvent[]): Promise<void>;
  /** For /readyz: connected and the last produce did not fail. */
  isReady(): boolean;
  /** Flushes what is queued, then disconnects. */
  close(): Promise<void>;
}
