/**
 * The profile API's metrics, besides the process metrics and stratum_build_info of the registry.
 * Names and labels are a public interface (dashboards, alerts, docs/profile-api.md, which a test
 * compares with this table). Labels are small closed sets: `route` is the registered path
 * (`/v1/profiles/{id}`, never the raw URL), or `unmatched`; `method` one of the HTTP methods or
 * `other`; `status` the status code.
 */
import { Counter, Histogram, type Registry } from 'prom-client';

/** From 1 ms (a cached profile read) to 10 s (a query waiting on a busy database). */
export const REQUEST_DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const PROFILE_API_METRICS = {
  requests: { name: 'stratum_profile_api_requests_total', type: 'counter', labels: ['route', 'method', 'status'], help: 'HTTP requests answered, by route (the registered path, or "unmatched"), method and status code.' },
  requestDuration: {
    name: 'stratum_profile_api_request_duration_seconds',
    type: 'histogram',
    labels: ['route', 'method', 'status'],
    help: 'Time from the request reaching the app to the answer, by route, method and status code.',
  },
} as const;

/** Label of requests no route matched (never the raw path: that would be unbounded). */
export const UNMATCHED_ROUTE = 'unmatched';

const METHODS = new Set(['GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'PATCH', 'OPTIONS']);

export interface ProfileApiMetrics {
  observeRequest(route: string, method: string, status: number, seconds: number): void;
}

/** Registers the profile API metrics in `registry` (once per registry). */
export function createProfileApiMetrics(registry: Registry): ProfileApiMetrics {
  const m = PROFILE_API_METRICS;
  const registers = [registry];
  const requests = new Counter({ name: m.requests.name, help: m.requests.help, labelNames: m.requests.labels, registers });
  const duration = new Histogram({ name: m.requestDuration.name, help: m.requestDuration.help, labelNames: m.requestDuration.labels, buckets: REQUEST_DURATION_BUCKETS, registers });
  return {
    observeRequest(route, method, status, seconds) {
      const labels = { route, method: METHODS.has(method) ? method : 'other', status: String(status) };
      requests.inc(labels);
      duration.observe(labels, seconds);
    },
  };
}
