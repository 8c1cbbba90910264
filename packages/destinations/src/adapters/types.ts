/**
 * The contract between the delivery-adapter service and each platform adapter. Adapters are pure:
 * no network, no clock (time is an argument), no storage. The service does the I/O around them:
 *
 *   config   = adapter.parseConfig({ settings, credentials })        once per destination version
 *   each event:   adapter.prepare(event, config, { destinationId, now }) → PreparedEvent | Skip
 *   batch kind:   adapter.buildRequests(prepared[], config, { now }) → HttpRequest[]  (send each)
 *                 adapter.classify(result, request, { now }) → Classification         (per request)
 *   sequence kind (Pipedrive): step = adapter.start(prepared, config, ctx); while (!step.done)
 *                 step = adapter.next(step.state, await send(step.request), config, ctx)
 *
 * The destination's filters (event names, consent purpose) are the service's, applied before
 * `prepare`; adapters only refuse what their platform cannot take.
 */
import type { DeliveryError, ResolvedEvent } from '@stratum/schemas';
import { DESTINATION_TYPES, type DestinationType } from '../store/destination';

/** The destination types with an adapter: every type a destination may be stored with. */
export const ADAPTER_TYPES = DESTINATION_TYPES;
export type AdapterType = DestinationType;

/** What `parseConfig` reads: the destination's settings and its decrypted credentials. */
export interface DestinationConfigInput {
  readonly settings: unknown;
  readonly credentials: unknown;
}

export interface PrepareContext {
  readonly destinationId: string;
  /** Epoch ms of the attempt (expiry and quiet hours are judged against it). */
  readonly now: number;
}

export interface BuildContext {
  readonly now: number;
}

export interface ClassifyContext {
  readonly now: number;
}

/** One event mapped to the platform's shape, ready to batch. */
export interface PreparedEvent<Payload> {
  readonly kind: 'prepared';
  readonly messageId: string;
  /** Deterministic per (tenant, destination, event): see `idempotencyKey`. */
  readonly idempotencyKey: string;
  readonly profileId: string;
  readonly payload: Payload;
}

/**
 * An event the adapter will not send. `expired`: too old for the platform (never will be sent);
 * `filtered`: not for this destination; `invalid`: data the platform would reject (DLQ with the
 * reason); `deferred`: not now, retry at `notBefore` (e.g. SMS quiet hours).
 */
export interface Skip {
  readonly kind: 'skip';
  readonly outcome: 'expired' | 'filtered' | 'invalid' | 'deferred';
  /** Stable code from SKIP_REASONS (a metric label). */
  readonly reason: string;
  /** For people: what exactly was wrong, with the numbers involved. Never contains PII. */
  readonly message: string;
  /** For `deferred`: epoch ms when the event may go; null otherwise. */
  readonly notBefore: number | null;
}

/** Which events a request carries, in body order. */
export interface RequestEvent {
  readonly messageId: string;
  readonly idempotencyKey: string;
}

/** A request to send exactly as given (the body is final: signatures cover it byte for byte). */
export interface HttpRequest {
  readonly method: 'GET' | 'POST' | 'PUT';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | null;
  readonly events: readonly RequestEvent[];
  /**
   * Credential values that appear in the URL, headers or body (Meta's token in the body, GA4's
   * api_secret and Pipedrive's api_token in the URL): replace them before logging a request.
   */
  readonly secrets: readonly string[];
}

/** The platform's answer. Header names are matched case-insensitively. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** What sending produced: an answer, or the error the HTTP client threw (timeout, refused, reset...). */
export type HttpResult = { readonly response: HttpResponse } | { readonly networkError: unknown };

/**
 * What happened to a request. `delivered`; `retry` (try again, after `error.retryAfterMs` when
 * set); `invalid` (the platform refused this data: DLQ, the destination itself is fine);
 * `failed` (the destination is broken for every event — credentials, permissions, URL: DLQ and
 * tell an operator); `opted_out` (the recipient unsubscribed: record as skipped, never retry).
 */
export interface Classification {
  readonly outcome: 'delivered' | 'retry' | 'invalid' | 'failed' | 'opted_out';
  /** Null exactly when delivered. `code` is one of DELIVERY_ERROR_CODES. */
  readonly error: DeliveryError | null;
  /** The platform's id for what was accepted (Twilio SID, Meta fbtrace_id, TikTok request_id, Pipedrive person id). */
  readonly externalId: string | null;
  /**
   * The platform refused a batch of several events for one bad event (Meta and TikTok reject the
   * whole request): resend each event alone to find it instead of dead-lettering all of them.
   */
  readonly retryIndividually: boolean;
  /** A remark worth logging on an accepted request (TikTok partial success, a merge left undone). */
  readonly note: string | null;
}

/** What every adapter has: identity, limits, config parsing, per-event mapping. */
interface AdapterBase<Config, Payload> {
  readonly type: AdapterType;
  /** Events per request the platform allows. */
  readonly maxBatch: number;
  /** Validates settings and credentials; throws `invalid_destination_config` listing every problem. */
  parseConfig(input: DestinationConfigInput): Config;
  /** Maps one event, or says why it will not be sent. Never throws for bad event data. */
  prepare(event: ResolvedEvent, config: Config, ctx: PrepareContext): PreparedEvent<Payload> | Skip;
}

/** Platforms where a batch of events is one request (or one request per event). */
export interface BatchAdapter<Config, Payload> extends AdapterBase<Config, Payload> {
  readonly kind: 'batch';
  /** Groups and splits by the platform's rules (batch size, shared user, body size). */
  buildRequests(prepared: readonly PreparedEvent<Payload>[], config: Config, ctx: BuildContext): HttpRequest[];
  classify(result: HttpResult, request: HttpRequest, ctx: ClassifyContext): Classification;
}

/** One step of a multi-request flow: the next request to send (and the state to resume from), or the end. */
export type SequenceStep<State> =
  | { readonly done: false; readonly request: HttpRequest; readonly state: State }
  | { readonly done: true; readonly classification: Classification };

/** Platforms where one event takes several dependent requests (search, then create or update). */
export interface SequenceAdapter<Config, Payload, State> extends AdapterBase<Config, Payload> {
  readonly kind: 'sequence';
  start(prepared: PreparedEvent<Payload>, config: Config, ctx: BuildContext): SequenceStep<State>;
  next(state: State, result: HttpResult, config: Config, ctx: ClassifyContext): SequenceStep<State>;
}

/** Any adapter, with its config and payload types erased (the service stores them opaquely). */
export type AnyAdapter = BatchAdapter<unknown, unknown> | SequenceAdapter<unknown, unknown, unknown>;
