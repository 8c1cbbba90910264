/**
 * The base error of every Stratum package: a stable machine code (classify by it, never by the
 * message), whether retrying can help, and the cause. Packages declare their codes once with
 * `defineErrorCodes` so the list can be documented and tested.
 */
export interface ErrorCodeSpec {
  retriable: boolean;
  /** One line for docs and operators. */
  description: string;
}

export type ErrorCodeTable = Readonly<Record<string, ErrorCodeSpec>>;

export class StratumError<Code extends string = string> extends Error {
  readonly code: Code;
  readonly retriable: boolean;
  /** Numbers and names that explain the error (limit, size, topic...), for logs and HTTP bodies. */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: Code, message: string, options: { retriable: boolean; cause?: unknown; details?: Record<string, unknown> }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StratumError';
    this.code = code;
    this.retriable = options.retriable;
    this.details = Object.freeze({ ...(options.details ?? {}) });
  }
}

/** A package's error codes and a constructor that takes `retriable` from the table. */
export function defineErrorCodes<const T extends ErrorCodeTable>(table: T) {
  return {
    codes: table,
    /** An error with `code` from this table. */
    error(code: keyof T & string, message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}): StratumError<keyof T & string> {
      return new StratumError(code, message, { retriable: table[code]!.retriable, ...options });
    },
    /** Whether `err` is one of this table's errors (optionally a given code). */
    is(err: unknown, code?: keyof T & string): err is StratumError<keyof T & string> {
      return err instanceof StratumError && err.code in table && (code === undefined || err.code === code);
    },
  };
}
