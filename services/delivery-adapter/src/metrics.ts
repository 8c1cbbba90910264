/**
 * What delivery reports beyond the runtime's stage metrics: every outcome by destination type,
 * status and reason; request latency per type; each destination's breaker state. Labels are
 * closed sets (types, statuses, reason codes) except `destination` on the breaker gauge, which is
 * bounded by the configured destinations.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { DeliveryOutcome } from '@stratum/schemas';
import type { BreakerState } from './send/destination-lane';

export interface DeliveryMetrics {
  countOutcome(outcome: DeliveryOutcome): void;
  breakerChanged(destination: { tenantId: string; destinationId: string; type: string }, state: BreakerState): void;
}

export const DELIVERY_METRICS = {
  outcomes: { name: 'stratum_delivery_outcomes_total', labels: ['destination_type', 'status', 'reason'], help: 'Delivery outcomes, by destination type, status (delivered, retrying, failed, skipped, expired, dead_lettered) and reason.' },
  latency: { name: 'stratum_delivery_request_duration_seconds', labels: ['destination_type'], help: "Time from sending a platform request to its full answer (accepted requests)." },
  breaker: { name: 'stratum_delivery_breaker_state', labels: ['tenant', 'destination', 'destination_type'], help: "Each destination's circuit breaker: 0 closed, 1 half-open, 2 open." },
  breakerTransitions: { name: 'stratum_delivery_breaker_transitions_total', labels: ['destination_type', 'state'], help: 'Breaker state changes, by the state entered.' },
} as const;

const STATE_VALUE: Record<BreakerState, number> = { closed: 0, half_open: 1, open: 2 };

export function promDeliveryMetrics(registry: Registry): DeliveryMetrics {
  const m = DELIVERY_METRICS;
  const registers = [registry];
  const outcomes = new Counter({ name: m.outcomes.name, help: m.outcomes.help, labelNames: m.outcomes.labels, registers });
  const latency = new Histogram({ name: m.latency.name, help: m.latency.help, labelNames: m.latency.labels, buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers });
  const breaker = new Gauge({ name: m.breaker.name, help: m.breaker.help, labelNames: m.breaker.labels, registers });
  const transitions = new Counter({ name: m.breakerTransitions.name, help: m.breakerTransitions.help, labelNames: m.breakerTransitions.labels, registers });
  return {
    countOutcome(o) {
      outcomes.inc({ destination_type: o.destinationType, status: o.status, reason: o.reason ?? '' });
      if (o.status === 'delivered' && o.latencyMs !== null) latency.observe({ destination_type: o.destinationType }, o.latencyMs / 1000);
    },
    breakerChanged(d, state) {
      breaker.set({ tenant: d.tenantId, destination: d.destinationId, destination_type: d.type }, STATE_VALUE[state]);
      transitions.inc({ destination_type: d.type, state });
    },
  };
}

export const NO_DELIVERY_METRICS: DeliveryMetrics = { countOutcome: () => undefined, breakerChanged: () => undefined };
