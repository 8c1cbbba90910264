/** The harness's one error type: a stable code to branch on and a message that says what to do. */

/** Every code a HarnessError can carry. */
export const HARNESS_ERROR_CODES = [
  /** A variable the chosen mode needs is not set (the message names it). */
  'missing_env',
  /** A variable is set to something the harness cannot use. */
  'invalid_env',
  /** testcontainers mode, but no Docker (or compatible) engine answers. */
  'no_docker',
  /** A Kafka, registry or PostgreSQL server given by the environment does not answer. */
  'unreachable',
  /** A server the harness started itself did not come up. */
  'start_failed',
  /** A Kafka request the harness made (create topics, produce, subscribe) failed. */
  'kafka_failed',
  /** A wait (collectRecords, waitFor) ran out of time; the message shows what was seen. */
  'timeout',
  /** A record could not be decoded with the schema the test asked for. */
  'undecodable_record',
  /** Teardown (a registered cleanup, deleting topics or databases) failed; the message lists what. */
  'cleanup_failed',
  /** The harness was used in a way it does not support (e.g. a stack read before its beforeAll ran). */
  'misuse',
] as const;
/** One of HARNESS_ERROR_CODES. */
export type HarnessErrorCode = (typeof HARNESS_ERROR_CODES)[number];

/** An error raised by the test harness; `code` is stable, `message` is for the person reading the test output. */
export class HarnessError extends Error {
  override readonly name = 'HarnessError';
  readonly code: HarnessErrorCode;

  constructor(code: HarnessErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/**
 * The message of anything thrown, for embedding in a HarnessError message. Duck-typed, not
 * `instanceof Error`: under jest, errors made by Node internals (fetch, net) come from another realm.
 */
export function messageOf(err: unknown): string {
  if (typeof err === 'object' && err !== null && typeof (err as { message?: unknown }).message === 'string') {
    const { message, code } = err as { message: string; code?: unknown };
    // An AggregateError (e.g. every address of a host refused) has an empty message and a code.
    return message !== '' ? message : typeof code === 'string' ? code : String(err);
  }
  return String(err);
}

/** What went wrong underneath: `err.cause` when there is one (fetch's "fetch failed" keeps ECONNREFUSED there), else `err`. */
export function rootOf(err: unknown): unknown {
  const cause = typeof err === 'object' && err !== null ? (err as { cause?: unknown }).cause : undefined;
  return cause ?? err;
}
