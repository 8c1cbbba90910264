/**
 * What a step says about one record (CONVENTIONS.md, after PostHog's ingestion steps): expected
 * bad data is a result, never an exception. Reasons are stable codes that also label metrics.
 */
export type StepResult<T> =
  | { readonly kind: 'ok'; readonly value: T }
  /** Deliberately not forwarded (a duplicate, a filtered event): counted, nothing written. */
  | { readonly kind: 'drop'; readonly reason: string }
  /** Bad data: written to the stage's quarantine output with the reason (and any further ones), then skipped. */
  | { readonly kind: 'quarantine'; readonly reason: string; readonly message: string; readonly path?: string; readonly more?: readonly QuarantineReason[] }
  /** Not now: nothing from this record on is committed; the partition pauses and comes back to it. */
  | { readonly kind: 'retry'; readonly afterMs: number; readonly reason: string };

export const ok = <T>(value: T): StepResult<T> => ({ kind: 'ok', value });
export const drop = (reason: string): StepResult<never> => ({ kind: 'drop', reason });
export const quarantine = (reason: string, message: string, path?: string): StepResult<never> =>
  path === undefined ? { kind: 'quarantine', reason, message } : { kind: 'quarantine', reason, message, path };
/** One problem of a quarantined record: an entry of InvalidEvent.reasons. */
export interface QuarantineReason {
  readonly code: string;
  readonly message: string;
  readonly path?: string;
}

/** Quarantine with every problem found: the first is the record's reason (metrics label), all go to InvalidEvent.reasons. */
export const quarantineAll = (reasons: readonly [QuarantineReason, ...QuarantineReason[]]): StepResult<never> => {
  const [first, ...more] = reasons;
  return { ...(quarantine(first.code, first.message, first.path) as { kind: 'quarantine'; reason: string; message: string }), ...(more.length ? { more } : {}) };
};
export const retry = (afterMs: number, reason: string): StepResult<never> => ({ kind: 'retry', afterMs, reason });

/** A result that ends the record's trip through the steps. */
export type Terminal = Exclude<StepResult<unknown>, { kind: 'ok' }>;
