/**
 * What ingest counts beyond the runtime's stage metrics (which already count every record by
 * output, outcome and quarantine reason): changes made to events that went through. An omitted
 * property or a phone that could not be read does not stop an event, so without these counters
 * they would vanish without trace. Labels are closed sets (docs/ingest.md, "Metrics").
 */
import { Counter, type Registry } from 'prom-client';
import type { IdentifierType } from '@stratum/schemas';
import type { IdentifierRejection } from './identifiers/extract';

export interface IngestMetrics {
  /** `stratum_ingest_omitted_properties_total`: properties/traits removed by omit_unplanned_properties. */
  countOmittedProperties(count: number): void;
  /** `stratum_ingest_rejected_identifiers_total{type,reason}`: values not turned into identifiers. */
  countRejectedIdentifier(type: IdentifierType, reason: IdentifierRejection): void;
}

/** The metric names and labels, for docs and for whoever registers them. */
export const INGEST_METRICS = {
  omittedProperties: { name: 'stratum_ingest_omitted_properties_total', type: 'counter', labels: [] as string[], help: 'Properties or traits removed because the tracking plan does not declare them (omit_unplanned_properties).' },
  rejectedIdentifiers: {
    name: 'stratum_ingest_rejected_identifiers_total',
    type: 'counter',
    labels: ['type', 'reason'],
    help: 'Values not turned into identifiers (illegal_value, invalid_email, invalid_phone, no_phone_region), by identifier type.',
  },
} as const;

/** The counters on the process's /metrics registry (main.ts). */
export function promIngestMetrics(registry: Registry): IngestMetrics {
  const { omittedProperties, rejectedIdentifiers } = INGEST_METRICS;
  const omitted = new Counter({ name: omittedProperties.name, help: omittedProperties.help, registers: [registry] });
  const rejected = new Counter({ name: rejectedIdentifiers.name, help: rejectedIdentifiers.help, labelNames: rejectedIdentifiers.labels, registers: [registry] });
  return {
    countOmittedProperties: (count) => omitted.inc(count),
    countRejectedIdentifier: (type, reason) => rejected.inc({ type, reason }),
  };
}

/** Counts in memory, for tests. */
export interface CountingIngestMetrics extends IngestMetrics {
  readonly omittedProperties: number;
  /** `type/reason` → count. */
  readonly rejectedIdentifiers: ReadonlyMap<string, number>;
}

export function countingIngestMetrics(): CountingIngestMetrics {
  let omitted = 0;
  const rejected = new Map<string, number>();
  return {
    get omittedProperties() {
      return omitted;
    },
    rejectedIdentifiers: rejected,
    countOmittedProperties: (count) => (omitted += count),
    countRejectedIdentifier: (type, reason) => rejected.set(`${type}/${reason}`, (rejected.get(`${type}/${reason}`) ?? 0) + 1),
  };
}
