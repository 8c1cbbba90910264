/**
 * The metrics registry of one service. Never prom-client's global registry: tests run several
 * stages in one process, and each must see only its own numbers.
 */
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';

export { Registry };

export interface MetricsRegistryOptions {
  /** The service name, as in SERVICE_NAME. */
  service: string;
  /** The build's version (package version or git sha), for `stratum_build_info`. */
  version: string;
  /** Process and Node.js metrics (CPU, memory, event loop lag, GC). Default true. */
  processMetrics?: boolean;
}

export const BUILD_INFO_METRIC = 'stratum_build_info';

/** A new registry with the process/Node.js metrics and `stratum_build_info{service,version} 1`. */
export function createMetricsRegistry(options: MetricsRegistryOptions): Registry {
  const registry = new Registry();
  // No prefix: dashboards built on prom-client's standard names (process_cpu_seconds_total,
  // nodejs_eventloop_lag_seconds...) work as they are.
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry, prefix: '' });
  const buildInfo = new Gauge({
    name: BUILD_INFO_METRIC,
    help: 'Always 1; the labels say which service and version run here.',
    labelNames: ['service', 'version'] as const,
    registers: [registry],
  });
  buildInfo.set({ service: options.service, version: options.version }, 1);
  return registry;
}
