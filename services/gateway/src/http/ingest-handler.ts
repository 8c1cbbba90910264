/**
 * One tracking-API request, start to answer:
 *
 *   request id → write key (Basic auth) → body (capped, decompressed) → JSON → write key (body)
 *   → events → per-event checks → rate limit → RawEvents → publish (acks=all) → 200
 *
 * A request is accepted or refused whole: a refusal names the first bad event, and nothing of
 * the request is published, because an SDK that gets a 4xx drops its whole batch and could
 * never learn that part of it went through. 200 is sent only after Kafka acknowledged every
 * event; a publish failure is a 503 (or 500) and the client's retry, with the same messageIds,
 * is deduplicated downstream.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@stratum/observability';
import type { RawEvent } from '@stratum/schemas';
import type { SourceSettings, TenancyDirectory } from '@stratum/tenancy';
import { isPublishUnavailable, type EventPublisher, type PublishUnavailableError } from '../publish';
import type { RateLimiter } from '../rate-limit/rate-limiter';
import { buildRawEvent, type RequestStamp } from '../events/build-raw-event';
import { checkEvent } from '../events/check-event';
import type { EventObjectsJson } from '../events/event-json';
import { checkEventCount, checkEventSize } from '../events/event-size';
import { requestEvents, writeKeyInBody, type RequestEvents } from '../events/request-events';
import type { EventRoute, SegmentType } from '../events/routes';
import type { JsonObject } from './parse-json';
import type { GatewayMetrics } from '../metrics/gateway-metrics';
import { sourceForWriteKey, writeKeyFromAuthorization } from './auth';
import { decompress, parseContentEncoding } from './decompress';
import { Refusal, refusal } from './errors';
import { parseJsonObject } from './parse-json';
import { readRawBody } from './read-body';
import { requestIdFrom, REQUEST_ID_HEADER } from './request-id';
import { sendRefusal, sendSuccess } from './respond';
import { Throttle } from './throttle';

export interface IngestDependencies {
  readonly directory: TenancyDirectory;
  readonly publisher: EventPublisher;
  readonly rateLimiter: RateLimiter;
  readonly logger: Logger;
  readonly metrics: GatewayMetrics;
  /** The global body cap (GATEWAY_MAX_BODY_BYTES); a source's maxBatchBytes can only lower it. */
  readonly maxBodyBytes: number;
  /** The gateway's clock, epoch ms (tests pin it). */
  readonly now: () => number;
  /** True once shutdown began: answers then close their connection. */
  readonly stopping: () => boolean;
}

/** Per-request log bindings; the child logger is made only when a line is actually written. */
class RequestLog {
  private child: Logger | undefined;
  private readonly bindings: { requestId: string; tenantId?: string; sourceId?: string };

  constructor(
    private readonly base: Logger,
    requestId: string,
  ) {
    this.bindings = { requestId };
  }

  source(source: SourceSettings): void {
    if (this.child === undefined) {
      this.bindings.tenantId = source.tenantId;
      this.bindings.sourceId = source.sourceId;
    } else this.child = this.child.child({ tenantId: source.tenantId, sourceId: source.sourceId });
  }

  get log(): Logger {
    return (this.child ??= this.base.child(this.bindings));
  }

  debugEnabled(): boolean {
    return this.base.isLevelEnabled('debug');
  }
}

/** What a 503 says, per publisher code (their messages name hosts: those go to the log only). */
const UNAVAILABLE_REASONS: Readonly<Record<PublishUnavailableError['code'], string>> = {
  kafka_unavailable: 'Kafka did not acknowledge the events in time',
  registry_unavailable: 'the schema registry is unavailable, so events cannot be encoded',
  publisher_closed: 'this gateway instance is shutting down',
};

/** An event that passed the checks: its type, and the JSON of its objects (made by the size check). */
interface CheckedEvent {
  readonly event: JsonObject;
  readonly type: SegmentType;
  readonly objects: EventObjectsJson;
}

interface Accepted {
  readonly events: readonly RawEvent[];
}

/** The express handler of one event route. */
export function ingestHandler(route: EventRoute, deps: IngestDependencies): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const routeType: SegmentType | undefined = route.kind === 'single' ? route.type : undefined;
  // Outages hit every request while they last: one line per 10 s each, the metrics count the rest.
  const outageWarnings = new Throttle(10_000);
  const limiterWarnings = new Throttle(10_000);

  async function authenticate(writeKey: string, log: RequestLog): Promise<SourceSettings | Refusal> {
    const source = await sourceForWriteKey(deps.directory, writeKey);
    if (!(source instanceof Refusal)) log.source(source);
    return source;
  }

  /** Body bytes → object, under `limit`; 415 before reading a body we could not decode anyway. */
  async function readBody(req: IncomingMessage, limit: number): Promise<{ json: JsonObject; bytes: number } | Refusal> {
    const codings = parseContentEncoding(req.headers['content-encoding']);
    if (codings instanceof Refusal) return codings;
    const raw = await readRawBody(req, limit);
    if (raw instanceof Refusal) return raw;
    const body = codings.length === 0 ? raw : decompress(raw, codings, limit);
    if (body instanceof Refusal) return body;
    deps.metrics.observeBodyBytes(route.path, body.length);
    const json = parseJsonObject(body);
    return json instanceof Refusal ? json : { json, bytes: body.length };
  }

  /** Every event checked in order (the first problem refuses the request), with its type and JSON parts. */
  function checkAll(events: RequestEvents, source: SourceSettings): CheckedEvent[] | Refusal {
    const tooMany = checkEventCount(events.items.length, source.limits);
    if (tooMany !== undefined) return tooMany;
    const checked: CheckedEvent[] = new Array<CheckedEvent>(events.items.length);
    for (let i = 0; i < events.items.length; i++) {
      const index = route.kind === 'batch' ? i : undefined;
      const item = events.items[i];
      const type = checkEvent(item, index, routeType);
      if (type instanceof Refusal) return type;
      const json = checkEventSize(item as JsonObject, index, source.limits);
      if (json instanceof Refusal) return json;
      checked[i] = { event: item as JsonObject, type, objects: json.objects };
    }
    return checked;
  }

  async function rateLimit(source: SourceSettings, cost: number, log: RequestLog): Promise<Refusal | undefined> {
    const { rateLimitPerSecond, rateLimitBurst } = source.limits;
    if (rateLimitPerSecond === 0) return undefined;
    try {
      const decision = await deps.rateLimiter.take(source.sourceId, cost, { ratePerSecond: rateLimitPerSecond, burst: rateLimitBurst });
      if (decision.allowed) return undefined;
      // checkEventCount already refused requests larger than the bucket; a limiter may still say so.
      if (decision.reason === 'exceeds_burst') return refusal('too_many_events', `this request's ${cost} events exceed the write key's rate-limit burst of ${rateLimitBurst}; split the batch`, { field: 'batch', limit: rateLimitBurst, size: cost });
      return refusal('rate_limited', `this write key may send ${rateLimitPerSecond} events per second (bursts of ${rateLimitBurst}); retry in ${Math.ceil(decision.retryAfterSeconds)} s`, {
        limit: rateLimitPerSecond,
        retryAfterSeconds: decision.retryAfterSeconds,
      });
    } catch (err) {
      // Rate limiting protects the pipeline; it is not worth refusing traffic over. Let it through.
      deps.metrics.countRateLimiterError();
      if (limiterWarnings.ready()) log.log.warn({ err }, 'rate limiter failed; letting requests through');
      return undefined;
    }
  }

  async function publish(events: readonly RawEvent[]): Promise<Refusal | undefined> {
    const started = performance.now();
    try {
      await deps.publisher.publish(events);
      deps.metrics.observePublish('ok', (performance.now() - started) / 1000);
      return undefined;
    } catch (err) {
      if (isPublishUnavailable(err)) {
        deps.metrics.observePublish('unavailable', (performance.now() - started) / 1000);
        const { retryAfterSeconds } = err;
        return refusal('kafka_unavailable', `${UNAVAILABLE_REASONS[err.code]}; nothing was accepted, retry in ${Math.ceil(retryAfterSeconds)} s with the same messageIds`, { retryAfterSeconds }, err);
      }
      deps.metrics.observePublish('failed', (performance.now() - started) / 1000);
      return refusal('internal_error', 'the events could not be published; nothing was accepted, retrying is safe', {}, err);
    }
  }

  /** The source named by the body's writeKey (Segment's alternative to Basic auth). */
  async function bodySource(body: { json: JsonObject; bytes: number }, log: RequestLog): Promise<SourceSettings | Refusal> {
    const writeKey = writeKeyInBody(body.json);
    if (writeKey instanceof Refusal) return writeKey;
    if (writeKey === null) return refusal('missing_write_key', 'no write key: send it as the HTTP Basic user name (empty password) or as "writeKey" in the body');
    const source = await authenticate(writeKey, log);
    if (source instanceof Refusal) return source;
    // The body was read under the global cap before the key inside it named the source.
    const limit = Math.min(deps.maxBodyBytes, source.limits.maxBatchBytes);
    if (body.bytes > limit) return refusal('batch_too_large', `request body is ${body.bytes} bytes; the limit is ${limit} bytes`, { limit, size: body.bytes });
    return source;
  }

  /** The request's outcome; `counted.events` is set once the events are known. */
  async function handleRequest(req: IncomingMessage, requestId: string, receivedAt: number, log: RequestLog, counted: { events: number }): Promise<Accepted | Refusal> {
    const headerKey = writeKeyFromAuthorization(req.headers.authorization);
    const headerSource = headerKey === null ? undefined : await authenticate(headerKey, log);
    if (headerSource instanceof Refusal) return headerSource;
    const limit = headerSource === undefined ? deps.maxBodyBytes : Math.min(deps.maxBodyBytes, headerSource.limits.maxBatchBytes);
    const body = await readBody(req, limit);
    if (body instanceof Refusal) return body;
    const source = headerSource ?? (await bodySource(body, log));
    if (source instanceof Refusal) return source;
    const events = requestEvents(body.json, route);
    if (events instanceof Refusal) return events;
    counted.events = events.items.length;
    const checked = checkAll(events, source);
    if (checked instanceof Refusal) return checked;
    const limited = await rateLimit(source, events.items.length, log);
    if (limited !== undefined) return limited;
    const stamp: RequestStamp = { tenantId: source.tenantId, sourceId: source.sourceId, receivedAt, requestId };
    const raw = checked.map((c) => buildRawEvent(c.event, c.objects, c.type, events.defaults, stamp));
    const failed = await publish(raw);
    return failed ?? { events: raw };
  }

  return async function handle(req, res) {
    const started = performance.now();
    const requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
    const log = new RequestLog(deps.logger, requestId);
    const counted = { events: 0 };
    let status: number;
    try {
      const outcome = await handleRequest(req, requestId, deps.now(), log, counted);
      // Checked at answer time: a request that was in flight when shutdown began closes its connection too.
      if (deps.stopping()) res.setHeader('connection', 'close');
      if (outcome instanceof Refusal) {
        status = sendRefusal(res, requestId, outcome);
        if (counted.events > 0) deps.metrics.countEvents('refused', outcome.code, counted.events);
        // Outages at warn, throttled; other 500s at error; client errors are the client's, at debug.
        if (status === 503 && outageWarnings.ready()) log.log.warn({ err: outcome.cause, code: outcome.code }, outcome.message);
        else if (outcome.code === 'internal_error') log.log.error({ err: outcome.cause }, outcome.message);
        else if (log.debugEnabled()) log.log.debug({ code: outcome.code, status, details: outcome.details }, 'request refused');
      } else {
        sendSuccess(res, requestId);
        status = 200;
        deps.metrics.countEvents('accepted', '', outcome.events.length);
        if (log.debugEnabled()) log.log.debug({ events: outcome.events.length }, 'request accepted');
      }
    } catch (err) {
      log.log.error({ err }, 'request failed unexpectedly');
      status = sendRefusal(res, requestId, refusal('internal_error', 'the request failed unexpectedly; nothing was accepted, retrying is safe'));
    }
    deps.metrics.countRequest(route.path, status);
    deps.metrics.observeRequestDuration(route.path, (performance.now() - started) / 1000);
  };
}
