// The names other packages (packages/stream) build on; changing one is a breaking change.
import * as observability from '../src/index';

it('exports exactly the documented API', () => {
  expect(Object.keys(observability).sort()).toEqual(
    [
      'BATCH_DURATION_BUCKETS',
      'BUILD_INFO_METRIC',
      'DEFAULT_CHECK_TIMEOUT_MS',
      'DEFAULT_READINESS_TIMEOUT_MS',
      'INVALID_REASON',
      'RECORD_AGE_BUCKETS',
      'RECORD_OUTCOMES',
      'Registry',
      'STAGE_METRICS',
      'createLogger',
      'createMetricsRegistry',
      'createStageMetrics',
      'isReady',
      'readinessFromChecks',
      'readinessProbe',
      'silentLogger',
      'startHealthServer',
    ].sort(),
  );
});
