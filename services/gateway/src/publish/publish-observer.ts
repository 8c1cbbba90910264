/**
 * Optional metrics hook of the publisher: plain callbacks, so the caller decides the metric names
 * and buckets (e.g. prom-client histograms of publish duration and records per produce request).
 */
import type { SendSample } from './coalescing-queue';

export type { SendSample, SendOutcome } from './coalescing-queue';

/** One publish() call, settled. */
export interface PublishSample {
  readonly records: number;
  /** From publish() to its acknowledgement or refusal. */
  readonly durationSeconds: number;
  /** ok: acknowledged; unavailable: a PublishUnavailableError (503); error: anything else (500). */
  readonly outcome: 'ok' | 'unavailable' | 'error';
}

export interface PublishObserver {
  /** After each produce request settles: records and publishes it carried, its duration, its outcome. */
  onSend?(sample: SendSample): void;
  /** After each publish() settles. */
  onPublish?(sample: PublishSample): void;
}
