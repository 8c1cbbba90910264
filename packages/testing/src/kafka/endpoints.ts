/** What each Kafka mode hands the stack: where Kafka and the registry are, and how to release them. */

/** Bootstrap servers, the registry's base URL, and the mode's own teardown (stop servers, containers). */
export interface StackEndpoints {
  brokers: string[];
  registryUrl: string;
  close(): Promise<void>;
}
