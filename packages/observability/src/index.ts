/**
 * @stratum/observability: the JSON logger and its child-logger convention, the stage metrics
 * (names are a public interface: docs/observability.md), and the /metrics /healthz /readyz server.
 */
export { createLogger, silentLogger, type Logger, type LogLevel, type LogDestination, type LoggerOptions, type RecordLogBindings } from './logger';
export { createMetricsRegistry, BUILD_INFO_METRIC, Registry, type MetricsRegistryOptions } from './metrics-registry';
export {
  createStageMetrics,
  STAGE_METRICS,
  RECORD_OUTCOMES,
  BATCH_DURATION_BUCKETS,
  RECORD_AGE_BUCKETS,
  INVALID_REASON,
  type RecordOutcome,
  type RecordsOutLabels,
  type StageMetrics,
} from './stage-metrics';
export {
  readinessFromChecks,
  isReady,
  DEFAULT_CHECK_TIMEOUT_MS,
  type CheckResult,
  type ReadinessCheck,
  type ReadinessReport,
} from './health/readiness';
export { startHealthServer, DEFAULT_READINESS_TIMEOUT_MS, type HealthServer, type HealthServerOptions } from './health/server';
export { readinessProbe, type ReadinessAnswer } from './health/readiness-probe';
