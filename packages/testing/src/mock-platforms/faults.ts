/**
 * Fault injection for the mock platforms: what the next requests suffer (a 5xx, a 429, a hang, a
 * slow answer, a reset connection) and timed rules ("everything fails for 2 s"). Delivery code is
 * only trustworthy once its retries, timeouts and breakers have met each of these.
 */

/** What one request suffers instead of (or before) the platform's normal answer. */
export type Fault =
  /** Answer with this server error, in the platform's own error body. */
  | { kind: 'server_error'; status: number }
  /** Answer 429 with `Retry-After: <seconds>`, in the platform's own error body. */
  | { kind: 'rate_limited'; retryAfterSeconds: number }
  /** Never answer: the request stays open until the client gives up or the mock stops. */
  | { kind: 'hang' }
  /** Wait this long, then answer normally (a slow platform, for client timeouts). */
  | { kind: 'delay'; ms: number }
  /** Reset the TCP connection without answering (the client sees ECONNRESET). */
  | { kind: 'reset' };

/** The faults that still produce an HTTP answer, which each platform words in its own error shape. */
export type AnsweredFault = Extract<Fault, { kind: 'server_error' | 'rate_limited' }>;

/** Milliseconds since the epoch; injectable so time-based rules can be tested without waiting. */
export type Clock = () => number;

interface Queued {
  fault: Fault;
  remaining: number;
}

interface TimedRule {
  fault: Fault;
  until: number;
}

/**
 * The fault plan of one mock. Queued faults (`next`, `failNext`, ...) are used up in the order they
 * were added, one per request; a timed rule (`during`, `failFor`) applies to every request until it
 * expires and wins over the queue. `recover()` forgets both.
 */
export class FaultSchedule {
  private readonly queue: Queued[] = [];
  private rule: TimedRule | undefined;

  constructor(private readonly clock: Clock = Date.now) {}

  /** The next `count` requests suffer `fault`. */
  next(count: number, fault: Fault): this {
    if (!Number.isInteger(count) || count < 1) throw new RangeError(`fault count must be a positive integer, got ${count}`);
    this.queue.push({ fault, remaining: count });
    return this;
  }

  /** The next `count` requests answer `status` (500 by default; 503 for "unavailable"). */
  failNext(count: number, status = 500): this {
    return this.next(count, { kind: 'server_error', status });
  }

  /** The next `count` requests answer 429 with `Retry-After: retryAfterSeconds`. */
  rateLimitNext(count: number, retryAfterSeconds: number): this {
    return this.next(count, { kind: 'rate_limited', retryAfterSeconds });
  }

  /** The next `count` requests never get an answer. */
  hangNext(count: number): this {
    return this.next(count, { kind: 'hang' });
  }

  /** The next `count` requests are answered normally, but only after `ms`. */
  delayNext(count: number, ms: number): this {
    return this.next(count, { kind: 'delay', ms });
  }

  /** The next `count` requests have their connection reset. */
  resetNext(count: number): this {
    return this.next(count, { kind: 'reset' });
  }

  /** Every request suffers `fault` for the next `ms`, then the platform recovers by itself. */
  during(ms: number, fault: Fault): this {
    this.rule = { fault, until: this.clock() + ms };
    return this;
  }

  /** Every request answers `status` (503 by default) for the next `ms`: an outage that ends. */
  failFor(ms: number, status = 503): this {
    return this.during(ms, { kind: 'server_error', status });
  }

  /** Clears every queued fault and timed rule: the platform is healthy again. */
  recover(): void {
    this.queue.length = 0;
    this.rule = undefined;
  }

  /** The fault the request arriving now suffers, if any; uses up one queued fault. */
  take(): Fault | undefined {
    if (this.rule !== undefined) {
      if (this.clock() < this.rule.until) return this.rule.fault;
      this.rule = undefined;
    }
    const head = this.queue[0];
    if (head === undefined) return undefined;
    head.remaining -= 1;
    if (head.remaining === 0) this.queue.shift();
    return head.fault;
  }
}
