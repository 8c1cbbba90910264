/**
 * Topic configs the broker understands: their defaults, validation and how they map onto the
 * log. DescribeConfigs lists exactly these; AlterConfigs/CreateTopics reject unknown keys with
 * INVALID_CONFIG naming the key, as Kafka does.
 */
import { DEFAULT_LOG_CONFIG, type CleanupPolicy, type LogConfig } from '../log/types';

interface ConfigSpec {
  default: string;
  validate(value: string): string | null;
}

const integer = (min: number) => (v: string) =>
  /^-?\d+$/.test(v) && Number(v) >= min ? null : `must be an integer >= ${min}`;
const oneOf = (...allowed: string[]) => (v: string) => (allowed.includes(v) ? null : `must be one of ${allowed.join(', ')}`);
const anything = () => null;

export const TOPIC_CONFIGS: Record<string, ConfigSpec> = {
  'cleanup.policy': { default: DEFAULT_LOG_CONFIG.cleanupPolicy, validate: oneOf('delete', 'compact', 'compact,delete', 'delete,compact') },
  'retention.ms': { default: String(DEFAULT_LOG_CONFIG.retentionMs), validate: integer(-1) },
  'retention.bytes': { default: String(DEFAULT_LOG_CONFIG.retentionBytes), validate: integer(-1) },
  'segment.bytes': { default: String(DEFAULT_LOG_CONFIG.segmentBytes), validate: integer(14) },
  'segment.ms': { default: String(DEFAULT_LOG_CONFIG.segmentMs), validate: integer(1) },
  'delete.retention.ms': { default: String(DEFAULT_LOG_CONFIG.deleteRetentionMs), validate: integer(0) },
  'min.compaction.lag.ms': { default: String(DEFAULT_LOG_CONFIG.minCompactionLagMs), validate: integer(0) },
  'index.interval.bytes': { default: String(DEFAULT_LOG_CONFIG.indexIntervalBytes), validate: integer(0) },
  'max.message.bytes': { default: String(1024 * 1024 + 12), validate: integer(0) },
  'min.insync.replicas': { default: '1', validate: integer(1) },
  'message.timestamp.type': { default: 'CreateTime', validate: oneOf('CreateTime', 'LogAppendTime') },
  'compression.type': { default: 'producer', validate: oneOf('producer', 'uncompressed', 'gzip', 'snappy', 'lz4', 'zstd') },
  'min.cleanable.dirty.ratio': { default: '0.5', validate: anything },
};

/** The first problem with a set of topic configs, or null. */
export function validateTopicConfigs(configs: Record<string, string>): string | null {
  for (const [key, value] of Object.entries(configs)) {
    const spec = TOPIC_CONFIGS[key];
    if (!spec) return `unknown topic config ${key}`;
    const problem = spec.validate(value);
    if (problem) return `${key}=${value}: ${problem}`;
  }
  return null;
}

/** The effective value of a config (explicit or default). */
export function configValue(configs: Record<string, string>, key: string): string {
  return configs[key] ?? TOPIC_CONFIGS[key]?.default ?? '';
}

/** Builds the log settings from a topic's explicit configs. */
export function logConfigOf(configs: Record<string, string>): LogConfig {
  const policy = configValue(configs, 'cleanup.policy');
  return {
    segmentBytes: Number(configValue(configs, 'segment.bytes')),
    segmentMs: Number(configValue(configs, 'segment.ms')),
    retentionMs: Number(configValue(configs, 'retention.ms')),
    retentionBytes: Number(configValue(configs, 'retention.bytes')),
    cleanupPolicy: (policy === 'delete,compact' ? 'compact,delete' : policy) as CleanupPolicy,
    deleteRetentionMs: Number(configValue(configs, 'delete.retention.ms')),
    indexIntervalBytes: Number(configValue(configs, 'index.interval.bytes')),
    minCompactionLagMs: Number(configValue(configs, 'min.compaction.lag.ms')),
  };
}
