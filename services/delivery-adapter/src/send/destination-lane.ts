/**
 * One destination's road out: an opossum circuit breaker and a token bucket in front of the HTTP
 * sender. Each destination has its own lane, so a platform that is down or slow trips only its own
 * breaker: its events go straight to a retry tier (`circuit_open`) while every other destination's
 * events go on at full speed. After `resetTimeoutMs` the breaker half-opens and lets one request
 * through; its answer closes or re-opens it.
 *
 * What counts against the breaker is the adapter's classification: `retry` (5xx, 429, timeouts,
 * network) and `failed` (auth, permissions: broken for every event). `invalid` and `opted_out` are
 * about one event's data and say the platform is healthy.
 */
import CircuitBreaker from 'opossum';
import type { Classification, HttpRequest, HttpResult, PublicTargetOptions } from '@stratum/destinations';
import type { HttpSender } from './http-sender';
import { TokenBucket } from './token-bucket';

export interface LaneSettings {
  readonly timeoutMs: number;
  readonly ratePerSecond: number;
  readonly burst: number;
  /** Open when at least this share (percent) of the window's requests failed… */
  readonly errorThresholdPercentage: number;
  /** …and the window holds at least this many requests. */
  readonly volumeThreshold: number;
  /** The window the share is computed over. */
  readonly rollingWindowMs: number;
  /** How long an open breaker waits before half-opening. */
  readonly resetTimeoutMs: number;
}

export type BreakerState = 'closed' | 'open' | 'half_open';

/** What one exchange produced: the adapter's classification, or a reason the request was not sent. */
export type Exchange =
  | { readonly sent: true; readonly result: HttpResult; readonly classification: Classification; readonly httpStatus: number | null; readonly latencyMs: number }
  | { readonly sent: false; readonly code: 'circuit_open' | 'throttled' | 'destination_backlog'; readonly retryAfterMs: number | null };

/** Carries a classification out of the breaker's action so the breaker counts it as a failure. */
class CountedFailure extends Error {
  constructor(readonly exchange: Exchange & { sent: true }) {
    super(exchange.classification.error?.code ?? 'failure');
  }
}

export interface LaneObserver {
  breakerChanged(state: BreakerState): void;
}

export class DestinationLane {
  private readonly breaker: CircuitBreaker<[HttpRequest, (r: HttpResult) => Classification], Exchange & { sent: true }>;
  private readonly bucket: TokenBucket;

  constructor(
    private readonly sender: HttpSender,
    private readonly settings: LaneSettings,
    private readonly guard: PublicTargetOptions | null,
    observer: LaneObserver,
  ) {
    this.bucket = new TokenBucket(settings.ratePerSecond, settings.burst);
    this.breaker = new CircuitBreaker(async (request: HttpRequest, classify: (r: HttpResult) => Classification) => this.exchangeOnce(request, classify), {
      // The request's own timeout aborts it; a breaker timeout would leave it running and unknown.
      timeout: false,
      errorThresholdPercentage: settings.errorThresholdPercentage,
      volumeThreshold: settings.volumeThreshold,
      rollingCountTimeout: settings.rollingWindowMs,
      rollingCountBuckets: 10,
      resetTimeout: settings.resetTimeoutMs,
    });
    this.breaker.on('open', () => observer.breakerChanged('open'));
    this.breaker.on('halfOpen', () => observer.breakerChanged('half_open'));
    this.breaker.on('close', () => observer.breakerChanged('closed'));
  }

  state(): BreakerState {
    return this.breaker.opened ? 'open' : this.breaker.halfOpen ? 'half_open' : 'closed';
  }

  /**
   * Sends `request` unless the breaker is open or the rate limit would make it wait longer than
   * `maxWaitMs` (then the caller defers the events). Never throws for platform or network trouble.
   */
  async exchange(request: HttpRequest, classify: (r: HttpResult) => Classification, maxWaitMs: number): Promise<Exchange> {
    if (this.breaker.opened) return { sent: false, code: 'circuit_open', retryAfterMs: null };
    const wait = this.bucket.reserve();
    if (wait > 0) {
      if (wait > maxWaitMs) return { sent: false, code: 'throttled', retryAfterMs: wait };
      await new Promise((resolve) => setTimeout(resolve, wait));
      return this.exchange(request, classify, maxWaitMs - wait);
    }
    try {
      return await this.breaker.fire(request, classify);
    } catch (err) {
      if (err instanceof CountedFailure) return err.exchange;
      // Open (or half-open with its one trial already out): opossum refuses without calling us.
      if ((err as { code?: string }).code === 'EOPENBREAKER') return { sent: false, code: 'circuit_open', retryAfterMs: null };
      throw err;
    }
  }

  shutdown(): void {
    this.breaker.shutdown();
  }

  private async exchangeOnce(request: HttpRequest, classify: (r: HttpResult) => Classification): Promise<Exchange & { sent: true }> {
    const started = performance.now();
    const result = await this.sender.send(request, { timeoutMs: this.settings.timeoutMs, guard: this.guard });
    const exchange = {
      sent: true as const,
      result,
      classification: classify(result),
      httpStatus: 'response' in result ? result.response.status : null,
      latencyMs: Math.round(performance.now() - started),
    };
    if (exchange.classification.outcome === 'retry' || exchange.classification.outcome === 'failed') throw new CountedFailure(exchange);
    return exchange;
  }
}
