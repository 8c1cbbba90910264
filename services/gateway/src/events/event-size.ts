/**
 * Per-event and per-request count limits. An event's size is the UTF-8 bytes of its JSON as the
 * client sent it (JSON.stringify of the parsed event, before batch-level context is merged in),
 * the same measure Segment's SDKs use when they cut batches.
 */
import type { SourceLimits } from '@stratum/tenancy';
import { Refusal, refusal } from '../http/errors';
import type { JsonObject } from '../http/parse-json';
import type { EventPosition } from './check-event';
import { eventJson, type EventJson } from './event-json';

/** The event serialised (eventJson), or a refusal naming its index and size when it is over `maxEventBytes`. */
export function checkEventSize(event: JsonObject, index: EventPosition, limits: SourceLimits): EventJson | Refusal {
  const json = eventJson(event, index);
  if (json instanceof Refusal || json.size <= limits.maxEventBytes) return json;
  const where = index === undefined ? 'the event' : `batch[${index}]`;
  return refusal('event_too_large', `${where} is ${json.size} bytes of JSON; the limit is ${limits.maxEventBytes} bytes per event`, {
    ...(index === undefined ? {} : { index }),
    limit: limits.maxEventBytes,
    size: json.size,
  });
}

/**
 * The most events one request may carry: maxBatchEvents, or the rate-limit burst when that is
 * smaller (a request costs one token per event, so one larger than the bucket could never pass).
 */
export function maxEventsPerRequest(limits: SourceLimits): { limit: number; byBurst: boolean } {
  const byBurst = limits.rateLimitPerSecond > 0 && limits.rateLimitBurst < limits.maxBatchEvents;
  return { limit: byBurst ? limits.rateLimitBurst : limits.maxBatchEvents, byBurst };
}

/** The request has at most `maxEventsPerRequest` events. */
export function checkEventCount(count: number, limits: SourceLimits): Refusal | undefined {
  const { limit, byBurst } = maxEventsPerRequest(limits);
  if (count <= limit) return undefined;
  const why = byBurst ? `the limit is ${limit} per request (this write key's rate-limit burst); split the batch` : `the limit is ${limit} per request`;
  return refusal('too_many_events', `batch has ${count} events; ${why}`, { field: 'batch', limit, size: count });
}
