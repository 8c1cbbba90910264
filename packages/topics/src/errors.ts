/** Errors of @stratum/topics: a stable code to classify by, a retriable flag and a cause. */

export const TOPICS_ERROR_CODES = [
  /** A name that is not in the catalogue. */
  'unknown_topic',
  /** A `schemas/<folder>/v<N>.avsc` the docs need is missing or unreadable. */
  'schema_missing',
  /** An .avsc file that is not the JSON of an Avro record schema. */
  'schema_invalid',
  /** No workspace root (a folder with pnpm-workspace.yaml) above the working directory. */
  'workspace_not_found',
  /** Could not connect to Kafka in time. */
  'kafka_unreachable',
  /** A request to Kafka failed outside any one topic (metadata, configs). */
  'kafka_request_failed',
  /** An apply option that cannot work on this cluster (e.g. more replicas than brokers). */
  'invalid_option',
] as const;
export type TopicsErrorCode = (typeof TOPICS_ERROR_CODES)[number];

const RETRIABLE: ReadonlySet<TopicsErrorCode> = new Set(['kafka_unreachable', 'kafka_request_failed']);

export class TopicsError extends Error {
  override readonly name = 'TopicsError';
  readonly retriable: boolean;

  constructor(
    readonly code: TopicsErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.retriable = RETRIABLE.has(code);
  }
}
