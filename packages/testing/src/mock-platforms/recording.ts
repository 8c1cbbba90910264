/** What a mock platform saw and did, for tests to assert on: accepted, rejected, deduplicated, dropped, faulted. */
import type { IncomingHttpHeaders } from 'node:http';
import type { Fault } from './faults';

/** One HTTP request as it reached the mock, body untouched. */
export interface RecordedRequest {
  method: string;
  /** The path without the query string, e.g. `/v21.0/123/events`. */
  path: string;
  /** Query parameters (the first value of each). */
  query: Record<string, string>;
  /** Header names are lower-case (Node's parsing). */
  headers: IncomingHttpHeaders;
  /** The raw body as text (UTF-8). */
  body: string;
  /** Arrival time, milliseconds since the epoch, by the mock's clock. */
  receivedAt: number;
}

/** A request the platform refused, with why: `reason` is a stable code, `detail` is for people. */
export interface Rejection {
  request: RecordedRequest;
  status: number;
  reason: string;
  detail: string;
  /** The body the mock answered with (the platform's own error shape). */
  response: unknown;
}

/** An event a platform took without complaint and then threw away (GA4's silent drop). */
export interface DroppedEvent {
  request: RecordedRequest;
  event: unknown;
  reason: string;
}

/** A request that suffered an injected fault instead of reaching the platform's logic. */
export interface FaultedRequest {
  request: RecordedRequest;
  fault: Fault;
}

/**
 * The record of one mock. `events` holds what the platform would count (after its deduplication);
 * `duplicates` what it recognised as a repeat and did not count again.
 */
export class Recording<TEvent> {
  private readonly all: RecordedRequest[] = [];
  private readonly acceptedRequests: RecordedRequest[] = [];
  private readonly kept: TEvent[] = [];
  private readonly repeats: TEvent[] = [];
  private readonly refused: Rejection[] = [];
  private readonly discarded: DroppedEvent[] = [];
  private readonly faultedRequests: FaultedRequest[] = [];

  /** Every request that reached the mock, in arrival order, whatever happened to it. */
  get requests(): readonly RecordedRequest[] {
    return this.all;
  }
  /** Requests the platform answered with success. */
  get accepted(): readonly RecordedRequest[] {
    return this.acceptedRequests;
  }
  /** Events (or operations) the platform kept, deduplicated as the platform does. */
  get events(): readonly TEvent[] {
    return this.kept;
  }
  /** Events the platform recognised as already received; `duplicates.length` is the count. */
  get duplicates(): readonly TEvent[] {
    return this.repeats;
  }
  /** Requests answered with the platform's error, and why. */
  get rejected(): readonly Rejection[] {
    return this.refused;
  }
  /** Events silently discarded although the request "succeeded". */
  get dropped(): readonly DroppedEvent[] {
    return this.discarded;
  }
  /** Requests answered (or not) by an injected fault. */
  get faulted(): readonly FaultedRequest[] {
    return this.faultedRequests;
  }

  /** Forgets everything recorded so far (the platform's own state, e.g. stored persons, stays). */
  clear(): void {
    for (const list of [this.all, this.acceptedRequests, this.kept, this.repeats, this.refused, this.discarded, this.faultedRequests]) {
      list.length = 0;
    }
  }

  /** @internal Called by the server core for every arriving request. */
  arrived(request: RecordedRequest): void {
    this.all.push(request);
  }
  /** @internal */
  accept(request: RecordedRequest): void {
    this.acceptedRequests.push(request);
  }
  /** @internal */
  keep(event: TEvent): void {
    this.kept.push(event);
  }
  /** @internal */
  repeat(event: TEvent): void {
    this.repeats.push(event);
  }
  /** @internal */
  reject(rejection: Rejection): void {
    this.refused.push(rejection);
  }
  /** @internal */
  drop(dropped: DroppedEvent): void {
    this.discarded.push(dropped);
  }
  /** @internal */
  fault(faulted: FaultedRequest): void {
    this.faultedRequests.push(faulted);
  }
}
