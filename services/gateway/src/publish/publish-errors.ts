/**
 * Why a publish did not get its events acknowledged. The HTTP layer answers 503 with Retry-After
 * for every `PublishUnavailableError` (test with `isPublishUnavailable`), and 500 for
 * `publish_failed`.
 *
 * A 503 does not mean "not written": a produce request already sent may still be acknowledged
 * after the publish gave up waiting (the broker was slow, or kafkajs retried it after a
 * reconnect). The client's retry carries the same messageId, so dedup drops the second copy:
 * at-least-once, never 200-and-drop.
 */
import { StratumError, defineErrorCodes } from '@stratum/errors';

export const publishErrors = defineErrorCodes({
  kafka_unavailable: {
    retriable: true,
    description: 'Kafka did not acknowledge the events in time, refused the connection, or the producer is reconnecting; the events may still land (retry with the same messageIds)',
  },
  registry_unavailable: {
    retriable: true,
    description: 'the schema registry has not given the events.raw schema id yet (unreachable or refusing), so nothing can be encoded; nothing was written',
  },
  publisher_closed: {
    retriable: true,
    description: 'the gateway is shutting down and takes no new events; another replica can',
  },
  publish_failed: {
    retriable: false,
    description: 'Kafka refused the events for a reason a retry will not fix (e.g. a record larger than the topic allows)',
  },
});

export type PublishErrorCode = keyof typeof publishErrors.codes;
export type PublishUnavailableCode = Exclude<PublishErrorCode, 'publish_failed'>;

/** Default Retry-After: long enough for a reconnect, short enough that SDK backoff is not starved. */
export const DEFAULT_RETRY_AFTER_SECONDS = 2;

/** Kafka or the registry cannot take events now; answer 503 with `Retry-After: retryAfterSeconds`. */
export class PublishUnavailableError extends StratumError<PublishUnavailableCode> {
  readonly retryAfterSeconds: number;

  constructor(code: PublishUnavailableCode, message: string, options: { cause?: unknown; retryAfterSeconds?: number } = {}) {
    const retryAfterSeconds = options.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS;
    super(code, message, { retriable: publishErrors.codes[code].retriable, cause: options.cause, details: { retryAfterSeconds } });
    this.name = 'PublishUnavailableError';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** Whether `err` means "try again later" (503 + Retry-After) rather than a bad request or a bug. */
export function isPublishUnavailable(err: unknown): err is PublishUnavailableError {
  return err instanceof PublishUnavailableError;
}
