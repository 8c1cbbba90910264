/**
 * The gateway's metrics. Names and labels are a public interface (dashboards, alerts,
 * docs/gateway.md, which a test compares with this table). Labels are small fixed sets: the
 * route is the registered path (never the raw URL), the reason a stable error code.
 */
import type { Registry } from '@stratum/observability';
import { CounterCollector, HistogramCollector, type CounterHandle, type HistogramHandle } from './collectors';

/** Request durations from 0.5 ms to 10 s (a 503 waits for the publisher's timeout). */
export const REQUEST_DURATION_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;
/** Body sizes from 256 B to 1 MiB (the default limit is 500 KB). */
export const BODY_BYTES_BUCKETS = [256, 1024, 4096, 16_384, 65_536, 262_144, 524_288, 1_048_576] as const;

export const GATEWAY_METRICS = {
  requests: { name: 'stratum_gateway_requests_total', type: 'counter', labels: ['route', 'status'], help: 'HTTP requests answered, by route (the registered path, or "unmatched") and status code.' },
  events: {
    name: 'stratum_gateway_events_total',
    type: 'counter',
    labels: ['outcome', 'reason'],
    help: 'Events in requests the gateway answered: outcome accepted (reason "") or refused (reason = the error code). Requests refused before their events were read count none.',
  },
  requestDuration: { name: 'stratum_gateway_request_duration_seconds', type: 'histogram', labels: ['route'], help: 'Time from the request reaching the handler to the answer, for event routes.' },
  publishDuration: { name: 'stratum_gateway_publish_duration_seconds', type: 'histogram', labels: ['outcome'], help: 'Time for the publisher to get a request\'s events acknowledged by Kafka: outcome ok, unavailable or failed.' },
  bodyBytes: { name: 'stratum_gateway_request_body_bytes', type: 'histogram', labels: ['route'], help: 'Size of event request bodies after decompression, in bytes.' },
  rateLimiterErrors: { name: 'stratum_gateway_rate_limiter_errors_total', type: 'counter', labels: [], help: 'Rate-limit checks that failed (e.g. Redis unreachable); the request was let through.' },
  twilioCallbacks: {
    name: 'stratum_gateway_twilio_callbacks_total',
    type: 'counter',
    labels: ['kind', 'result'],
    help: 'Twilio webhooks answered: kind status (a status callback), inbound (an incoming SMS) or unknown (refused before its kind was known); result what was done (recorded, unknown_message, opted_out, opted_in, ignored, invalid_phone) or the error code it was refused with.',
  },
} as const;

export type EventOutcome = 'accepted' | 'refused';
export type PublishOutcome = 'ok' | 'unavailable' | 'failed';
export type TwilioCallbackKind = 'status' | 'inbound' | 'unknown';

/** Typed handles on the gateway metrics. */
export interface GatewayMetrics {
  countRequest(route: string, status: number): void;
  observeRequestDuration(route: string, seconds: number): void;
  countEvents(outcome: EventOutcome, reason: string, count: number): void;
  observePublish(outcome: PublishOutcome, seconds: number): void;
  observeBodyBytes(route: string, bytes: number): void;
  countRateLimiterError(): void;
  /** `result`: what was done, or the refusal's error code (both small fixed sets). */
  countTwilioCallback(kind: TwilioCallbackKind, result: string): void;
}

/** Memoises a series handle per key, so the hot path does one Map lookup. */
function memo<H>(make: (key: string) => H): (key: string) => H {
  const handles = new Map<string, H>();
  return (key) => {
    let handle = handles.get(key);
    if (handle === undefined) {
      handle = make(key);
      handles.set(key, handle);
    }
    return handle;
  };
}

/** Registers the gateway metrics in `registry` (once per registry). */
export function createGatewayMetrics(registry: Registry): GatewayMetrics {
  const m = GATEWAY_METRICS;
  const requests = new CounterCollector(m.requests.name, m.requests.help, m.requests.labels, registry);
  const events = new CounterCollector(m.events.name, m.events.help, m.events.labels, registry);
  const requestDuration = new HistogramCollector(m.requestDuration.name, m.requestDuration.help, m.requestDuration.labels, registry, REQUEST_DURATION_BUCKETS);
  const publishDuration = new HistogramCollector(m.publishDuration.name, m.publishDuration.help, m.publishDuration.labels, registry, REQUEST_DURATION_BUCKETS);
  const bodyBytes = new HistogramCollector(m.bodyBytes.name, m.bodyBytes.help, m.bodyBytes.labels, registry, BODY_BYTES_BUCKETS);
  const rateLimiterErrors = new CounterCollector(m.rateLimiterErrors.name, m.rateLimiterErrors.help, m.rateLimiterErrors.labels, registry).series({});
  const twilioCallbacks = new CounterCollector(m.twilioCallbacks.name, m.twilioCallbacks.help, m.twilioCallbacks.labels, registry);

  const requestSeries = memo<CounterHandle>((key) => {
    const [route, status] = key.split(' ') as [string, string];
    return requests.series({ route, status });
  });
  const eventSeries = memo<CounterHandle>((key) => {
    const [outcome, reason] = key.split(' ') as [string, string];
    return events.series({ outcome, reason: reason ?? '' });
  });
  const durationSeries = memo<HistogramHandle>((route) => requestDuration.series({ route }));
  const publishSeries = memo<HistogramHandle>((outcome) => publishDuration.series({ outcome }));
  const bodySeries = memo<HistogramHandle>((route) => bodyBytes.series({ route }));
  const twilioSeries = memo<CounterHandle>((key) => {
    const [kind, result] = key.split(' ') as [string, string];
    return twilioCallbacks.series({ kind, result });
  });
  // Series a dashboard divides by exist from the first scrape, so rate() works at once.
  eventSeries('accepted ');
  publishSeries('ok');

  return {
    countRequest: (route, status) => requestSeries(`${route} ${status}`).inc(),
    observeRequestDuration: (route, seconds) => durationSeries(route).observe(seconds),
    countEvents: (outcome, reason, count) => eventSeries(`${outcome} ${reason}`).inc(count),
    observePublish: (outcome, seconds) => publishSeries(outcome).observe(seconds),
    observeBodyBytes: (route, bytes) => bodySeries(route).observe(bytes),
    countRateLimiterError: () => rateLimiterErrors.inc(),
    countTwilioCallback: (kind, result) => twilioSeries(`${kind} ${result}`).inc(),
  };
}
