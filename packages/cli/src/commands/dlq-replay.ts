/**
 * `stratum dlq replay`: dead letters back onto delivery.attempts, oldest first, a page at a time.
 * Each page is produced (idempotent producer, acks from all in-sync replicas) and only once the
 * broker acknowledged it marked replayed, so replay_count never counts a record that was lost.
 * A page produced whose marking then fails is reported; replaying it again is harmless, as the
 * idempotency keys (tenant, destination, messageId) are unchanged.
 */
import { withTenant, type Db } from '@stratum/db';
import { deadLettersForReplay, markReplayed, replayAttemptOf, type DeadLetterFilter, type DeadLetterRow, type DeadLetterSummary, type ReplayRecord } from '@stratum/delivery';
import { isRetriable } from '@stratum/errors';
import { createLogger } from '@stratum/observability';
import { confluentRegistryClient, createSerde, SerdeError, type AvroSerde, type DeliveryAttempt } from '@stratum/schemas';
import { createKafka } from '@stratum/stream';
import kafkajs from 'kafkajs';
import { dlqCommandErrors } from './dlq-run';

// kafkajs is CommonJS: its named exports are not visible to Node's ESM loader.
const { Partitioners } = kafkajs;

/** Records per produce and per markReplayed transaction. */
const PAGE_SIZE = 500;

export interface KafkaTarget {
  readonly brokers: readonly string[];
  readonly registryUrl: string;
  readonly topic: string;
}

export interface AttemptSender {
  /** Resolves once the broker acknowledged every record. */
  send(records: readonly ReplayRecord[]): Promise<void>;
  close(): Promise<void>;
}

function unreachable(err: unknown): boolean {
  return (err instanceof SerdeError && err.code === 'registry_unavailable') || (err instanceof Error && err.name.startsWith('KafkaJS') && isRetriable(err));
}

/** A connected producer and a registered delivery.attempts serde; failing to reach either is kafka_unavailable. */
export async function kafkaAttemptSender(target: KafkaTarget): Promise<AttemptSender> {
  // kafkajs' own errors go to stderr as JSON lines; stdout stays the command's output.
  const logger = createLogger({ service: 'stratum-dlq', level: 'error', destination: process.stderr });
  const producer = createKafka({ brokers: target.brokers, clientId: 'stratum-dlq-replay' }, logger).producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
    allowAutoTopicCreation: false,
  });
  let serde: AvroSerde<DeliveryAttempt>;
  try {
    serde = await createSerde(confluentRegistryClient(target.registryUrl), 'delivery.attempts', `${target.topic}-value`);
    await producer.connect();
  } catch (err) {
    await producer.disconnect().catch(() => undefined);
    if (!unreachable(err)) throw err;
    throw dlqCommandErrors.error('kafka_unavailable', `cannot reach Kafka (${target.brokers.join(',')}) or the schema registry (${target.registryUrl}): ${(err as Error).message}`, { cause: err });
  }
  return {
    async send(records) {
      const messages = records.map((r) => {
        try {
          return { key: r.key, value: serde.encode(r.attempt) };
        } catch (err) {
          throw new Error(`dead letter ${r.attempt.replayOf ?? '?'}: ${(err as Error).message}`, { cause: err });
        }
      });
      await producer.send({ topic: target.topic, acks: -1, messages });
    },
    close: () => producer.disconnect(),
  };
}

export interface ReplayOptions {
  /** At most this many (default: every match). */
  readonly limit?: number;
  readonly backfill: boolean;
  /** List what would be replayed; send and mark nothing. */
  readonly dryRun: boolean;
  /** Opened on the first page that has rows, so a replay that matches nothing needs no Kafka. */
  readonly openSender: () => Promise<AttemptSender>;
}

export interface ReplayResult {
  readonly replayed: number;
  readonly deadLetters: DeadLetterSummary[];
}

function summaryOf(row: DeadLetterRow): DeadLetterSummary {
  const { tenantId: _tenantId, event: _event, ...summary } = row;
  return summary;
}

/** Replays the tenant's dead letters matching `filter`, oldest first. */
export async function replayDeadLetters(db: Db, tenantId: string, filter: DeadLetterFilter, options: ReplayOptions): Promise<ReplayResult> {
  const done: DeadLetterSummary[] = [];
  let sender: AttemptSender | undefined;
  let after: string | undefined;
  try {
    while (options.limit === undefined || done.length < options.limit) {
      const limit = Math.min(PAGE_SIZE, (options.limit ?? Infinity) - done.length);
      const request = { ...filter, limit, ...(after === undefined ? {} : { after }) };
      const page = await withTenant(db, tenantId, (trx) => deadLettersForReplay(trx, tenantId, request), { mode: 'snapshot' });
      if (page.deadLetters.length === 0) break;
      if (!options.dryRun) {
        sender ??= await options.openSender();
        await replayPage(db, tenantId, sender, page.deadLetters, options.backfill, done.length);
      }
      done.push(...page.deadLetters.map(summaryOf));
      if (page.nextCursor === null) break;
      after = page.nextCursor;
    }
  } finally {
    await sender?.close();
  }
  return { replayed: options.dryRun ? 0 : done.length, deadLetters: done };
}

async function replayPage(db: Db, tenantId: string, sender: AttemptSender, rows: readonly DeadLetterRow[], backfill: boolean, before: number): Promise<void> {
  const now = Date.now();
  try {
    await sender.send(rows.map((row) => replayAttemptOf(row, { backfill, now })));
  } catch (err) {
    throw dlqCommandErrors.error('replay_incomplete', `replayed ${before} dead letter(s), then producing the next ${rows.length} failed: ${(err as Error).message}`, { cause: err, details: { replayed: before } });
  }
  try {
    await withTenant(db, tenantId, (trx) => markReplayed(trx, tenantId, rows.map((r) => r.dlqId)));
  } catch (err) {
    const sent = before + rows.length;
    throw dlqCommandErrors.error('replay_incomplete', `replayed ${sent} dead letter(s), but marking the last ${rows.length} as replayed failed (their replay_count is not bumped): ${(err as Error).message}`, { cause: err, details: { replayed: sent } });
  }
}
