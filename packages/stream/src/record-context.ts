/** Where a record came from, for steps, child loggers and quarantine records. */
export interface RecordContext {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  /** The Kafka record timestamp, epoch ms. */
  readonly timestamp: number;
  readonly key: Buffer | null;
  readonly headers: Readonly<Record<string, string>>;
}
