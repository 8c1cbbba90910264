/**
 * The ingest stage, as DESIGN.md draws it: events.raw → look up the source → check the event →
 * extract identifiers → apply the tracking plan → build the valid event → events.valid, and every
 * refused record → events.invalid with its reason. Topics are named in main.ts.
 */
import type { RawEvent } from '@stratum/schemas';
import { defineStage, pipeline } from '@stratum/stream';
import type { TenancyDirectory } from '@stratum/tenancy';
import type { IngestMetrics } from './metrics';
import { applyTrackingPlanStep } from './steps/apply-tracking-plan';
import { buildValidEventStep } from './steps/build-valid-event';
import { checkEventStep } from './steps/check-event';
import { extractIdentifiersStep } from './steps/extract-identifiers';
import { lookUpSourceStep } from './steps/look-up-source';
import { ValidatorCache } from './tracking-plan/compile';

export interface IngestDependencies {
  directory: TenancyDirectory;
  /** Compiled tracking-plan schemas (default: a new cache). */
  validators?: ValidatorCache;
  /** Ingest's own counters (default: none kept). */
  metrics?: IngestMetrics;
  /** The clock for validatedAt (default Date.now). */
  now?: () => number;
}

const noMetrics: IngestMetrics = { countOmittedProperties: () => undefined, countRejectedIdentifier: () => undefined };

/** The ingest stage over these dependencies. */
export function ingestStage(deps: IngestDependencies) {
  const metrics = deps.metrics ?? noMetrics;
  return defineStage({
    name: 'ingest',
    input: 'events.raw',
    outputs: { valid: 'events.valid', invalid: 'events.invalid' },
    quarantine: 'invalid',
    pipeline: pipeline<RawEvent>()
      .then(lookUpSourceStep(deps.directory))
      .then(checkEventStep())
      .then(extractIdentifiersStep(metrics))
      .then(applyTrackingPlanStep(deps.validators ?? new ValidatorCache(), metrics))
      .then(buildValidEventStep(deps.now ?? Date.now)),
    // Re-keyed whatever the producer used: every copy of one event meets on one partition for dedup.
    emit: (event) => [{ output: 'valid', key: `${event.tenantId}:${event.messageId}`, value: event }],
  });
}

export type IngestStage = ReturnType<typeof ingestStage>;
