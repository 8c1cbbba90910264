/**
 * Every error the registry answers with, in one table: the Confluent `error_code`, the HTTP
 * status and what it means. Codes and statuses follow Confluent Schema Registry ≤ 8.1
 * (`rest/exceptions/Errors.java`, rest-utils' exception mappers); docs/schema-registry.md lists
 * them all and a test fails when one is missing there.
 */
export const REGISTRY_ERRORS = {
  MALFORMED_BODY: { code: 400, status: 400, retriable: false, meaning: 'the request body is not valid JSON' },
  ROUTE_NOT_FOUND: { code: 404, status: 404, retriable: false, meaning: 'no such endpoint' },
  METHOD_NOT_ALLOWED: { code: 405, status: 405, retriable: false, meaning: 'the endpoint exists but not for this HTTP method' },
  BODY_TOO_LARGE: { code: 413, status: 413, retriable: false, meaning: 'the request body is larger than the limit' },
  UNSUPPORTED_MEDIA_TYPE: { code: 415, status: 415, retriable: false, meaning: 'the request Content-Type is not JSON' },
  SUBJECT_NOT_FOUND: { code: 40401, status: 404, retriable: false, meaning: 'subject not found' },
  VERSION_NOT_FOUND: { code: 40402, status: 404, retriable: false, meaning: 'version not found' },
  SCHEMA_NOT_FOUND: { code: 40403, status: 404, retriable: false, meaning: 'schema not found' },
  SUBJECT_SOFT_DELETED: { code: 40404, status: 404, retriable: false, meaning: 'subject was already soft-deleted' },
  SUBJECT_NOT_SOFT_DELETED: { code: 40405, status: 404, retriable: false, meaning: 'permanent delete of a subject that was not soft-deleted first' },
  VERSION_SOFT_DELETED: { code: 40406, status: 404, retriable: false, meaning: 'version was already soft-deleted' },
  VERSION_NOT_SOFT_DELETED: { code: 40407, status: 404, retriable: false, meaning: 'permanent delete of a version that was not soft-deleted first' },
  SUBJECT_CONFIG_NOT_FOUND: { code: 40408, status: 404, retriable: false, meaning: 'subject has no subject-level compatibility level' },
  INCOMPATIBLE_SCHEMA: { code: 409, status: 409, retriable: false, meaning: 'schema is incompatible with earlier versions under the compatibility level' },
  INVALID_SCHEMA: { code: 42201, status: 422, retriable: false, meaning: 'invalid schema, unsupported schema type or references' },
  INVALID_VERSION: { code: 42202, status: 422, retriable: false, meaning: 'invalid version' },
  INVALID_COMPATIBILITY_LEVEL: { code: 42203, status: 422, retriable: false, meaning: 'invalid compatibility level' },
  OPERATION_NOT_PERMITTED: { code: 42205, status: 422, retriable: false, meaning: 'operation not permitted (import mode, explicit ids/versions)' },
  INVALID_SUBJECT: { code: 42208, status: 422, retriable: false, meaning: 'invalid subject name' },
  INTERNAL_ERROR: { code: 500, status: 500, retriable: false, meaning: 'a bug in the registry (logged)' },
  STORE_ERROR: { code: 50001, status: 500, retriable: true, meaning: 'Kafka (the _schemas topic) is unavailable' },
} as const;

export type RegistryErrorName = keyof typeof REGISTRY_ERRORS;

/** An error with a stable Confluent code; the HTTP layer turns it into `{error_code, message}`. */
export class RegistryError extends Error {
  readonly code: number;
  readonly status: number;
  readonly retriable: boolean;
  /** Extra numbers for the response body (e.g. the size limit), next to error_code and message. */
  readonly details: Record<string, unknown>;

  constructor(
    readonly kind: RegistryErrorName,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    const entry = REGISTRY_ERRORS[kind];
    this.name = 'RegistryError';
    this.code = entry.code;
    this.status = entry.status;
    this.retriable = entry.retriable;
    this.details = options.details ?? {};
  }
}

/** Shorthand: `throw registryError('SUBJECT_NOT_FOUND', ...)`. */
export function registryError(kind: RegistryErrorName, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }): RegistryError {
  return new RegistryError(kind, message, options);
}

/** Confluent's exact message texts, where clients or people may recognise them. */
export const messages = {
  subjectNotFound: (subject: string) => `Subject '${subject}' not found.`,
  versionNotFound: (version: number) => `Version ${version} not found.`,
  schemaNotFound: (id?: number) => (id === undefined ? 'Schema not found' : `Schema ${id} not found`),
  subjectSoftDeleted: (subject: string) => `Subject '${subject}' was soft deleted. Set permanent=true to delete permanently`,
  subjectNotSoftDeleted: (subject: string) => `Subject '${subject}' was not deleted first before being permanently deleted`,
  versionSoftDeleted: (subject: string, version: number) => `Subject '${subject}' Version ${version} was soft deleted. Set permanent=true to delete permanently`,
  versionNotSoftDeleted: (subject: string, version: number) => `Subject '${subject}' Version ${version} was not deleted first before being permanently deleted`,
  noSubjectConfig: (subject: string) => `Subject '${subject}' does not have subject-level compatibility configured`,
  invalidVersion: (version: string) => `The specified version '${version}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string "latest"`,
  invalidLevel: () => 'Invalid compatibility level. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive',
} as const;
