/** Serde errors: a stable code, whether a retry can help, and the cause. Classify by code. */
export const SERDE_ERROR_CODES = {
  /** The value does not match the schema (a bug in the producing code). */
  invalid_value: { retriable: false },
  /** The bytes are not in the Confluent wire format (no magic byte 0, or shorter than 5 bytes). */
  not_confluent_framed: { retriable: false },
  /** The Avro body is truncated, has trailing bytes, or does not match the writer schema. */
  corrupt_body: { retriable: false },
  /** The writer's schema cannot be read as this serde's schema (incompatible evolution). */
  incompatible_writer_schema: { retriable: false },
  /** The registry does not know the schema id in the record. */
  unknown_schema_id: { retriable: false },
  /** The registry refused to register the schema (incompatible, invalid, or a different subject policy). */
  registration_refused: { retriable: false },
  /** The registry could not be reached or answered 5xx. */
  registry_unavailable: { retriable: true },
} as const;

export type SerdeErrorCode = keyof typeof SERDE_ERROR_CODES;

export class SerdeError extends Error {
  readonly code: SerdeErrorCode;
  readonly retriable: boolean;

  constructor(code: SerdeErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SerdeError';
    this.code = code;
    this.retriable = SERDE_ERROR_CODES[code].retriable;
  }
}
