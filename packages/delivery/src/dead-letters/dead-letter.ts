/**
 * What the dead-letter index holds and how callers ask for it. Times are epoch milliseconds, as
 * on the topics (a summary reads like the delivery.dlq record it came from).
 */
import type { DeliveryError, ResolvedEvent } from '@stratum/schemas';

/** Which dead letters: every given field must match. Purged rows never match. */
export interface DeadLetterFilter {
  readonly destinationId?: string;
  /** A reason code: attempts_exhausted, max_age_exceeded, permanent_error, ... */
  readonly reason?: string;
  /** Dead-lettered at or after this time. */
  readonly since?: Date;
  /** Dead-lettered before this time. */
  readonly until?: Date;
  /** Only these dead letters. */
  readonly dlqIds?: readonly string[];
}

export interface DeadLetterPageRequest {
  /** Rows per page: default 100, at most 1000. */
  readonly limit?: number;
  /** The nextCursor of the previous page of the same listing. */
  readonly after?: string;
}

export interface DeadLetterPage<T> {
  readonly deadLetters: T[];
  /** Pass as `after` for the next page; null when this page was the last. */
  readonly nextCursor: string | null;
}

/** A dead letter without its event: what an operator scans. */
export interface DeadLetterSummary {
  readonly dlqId: string;
  readonly destinationId: string;
  readonly destinationType: string;
  readonly messageId: string;
  readonly profileId: string;
  readonly attempts: number;
  readonly firstAttemptAt: number;
  readonly lastAttemptAt: number;
  readonly deadLetteredAt: number;
  readonly reason: string;
  readonly lastError: DeliveryError | null;
  readonly originTopic: string;
  /** How many times an operator replayed it. */
  readonly replayCount: number;
  readonly lastReplayedAt: number | null;
}

/** A dead letter with the event it failed to deliver: what a replay sends again. */
export interface DeadLetterRow extends DeadLetterSummary {
  readonly tenantId: string;
  readonly event: ResolvedEvent;
}

/** How many dead letters one destination has for one reason. */
export interface DeadLetterCount {
  readonly destinationId: string;
  readonly reason: string;
  readonly count: number;
}

export const DEAD_LETTER_DEFAULT_PAGE_SIZE = 100;
export const DEAD_LETTER_MAX_PAGE_SIZE = 1000;
