/** Broker settings. Defaults follow Apache Kafka's where they matter to clients. */
import type { FlushPolicy } from './storage/flusher';
import type { BrokerLogger } from './logger';

export interface BrokerConfig {
  nodeId: number;
  /** Address advertised in Metadata (clients connect to it). */
  advertisedHost: string;
  /** Interface to listen on. */
  host: string;
  /** 0 picks a free port. */
  port: number;
  dataDir: string;
  /** "always": fdatasync before every acknowledgement (default). "os": page cache only. */
  flush: FlushPolicy;
  /** auto.create.topics.enable */
  autoCreateTopics: boolean;
  /** num.partitions for auto-created topics */
  defaultPartitions: number;
  /** message.max.bytes: largest batch accepted. */
  messageMaxBytes: number;
  /** socket.request.max.bytes: larger frames close the connection. */
  maxFrameBytes: number;
  /** group.min/max.session.timeout.ms */
  groupMinSessionTimeoutMs: number;
  groupMaxSessionTimeoutMs: number;
  /** group.initial.rebalance.delay.ms: wait for more members before the first assignment. */
  groupInitialRebalanceDelayMs: number;
  /** transaction.max.timeout.ms */
  transactionMaxTimeoutMs: number;
  /** How often retention, compaction and transaction timeouts are checked. */
  housekeepingIntervalMs: number;
  logger: BrokerLogger;
}

export const DEFAULT_BROKER_CONFIG: Omit<BrokerConfig, 'dataDir' | 'logger'> = {
  nodeId: 0,
  advertisedHost: '127.0.0.1',
  host: '127.0.0.1',
  port: 9092,
  flush: 'always',
  autoCreateTopics: true,
  defaultPartitions: 1,
  messageMaxBytes: 1024 * 1024 + 12,
  maxFrameBytes: 100 * 1024 * 1024,
  groupMinSessionTimeoutMs: 6_000,
  groupMaxSessionTimeoutMs: 1_800_000,
  groupInitialRebalanceDelayMs: 0,
  transactionMaxTimeoutMs: 900_000,
  housekeepingIntervalMs: 5_000,
};
