/** The source's tracking plan: schema version, planned or not, JSON Schema, omitted properties (../tracking-plan/apply.ts). */
import { ok, quarantine, recordStep, type Step } from '@stratum/stream';
import type { IngestMetrics } from '../metrics';
import { applyTrackingPlan, type PlanResult } from '../tracking-plan/apply';
import type { ValidatorCache } from '../tracking-plan/compile';
import type { IdentifiedEvent } from './extract-identifiers';

export interface PlanAppliedEvent extends IdentifiedEvent {
  readonly plan: PlanResult;
}

export function applyTrackingPlanStep(validators: ValidatorCache, metrics: IngestMetrics): Step<IdentifiedEvent, PlanAppliedEvent> {
  return recordStep('apply-tracking-plan', (e: IdentifiedEvent) => {
    const { raw, event, source } = e;
    const applied = applyTrackingPlan(
      { type: event.type, event: raw.event, name: raw.name, schemaVersion: raw.schemaVersion, properties: event.properties, traits: event.traits },
      source,
      validators,
    );
    if ('problem' in applied) return quarantine(applied.problem.code, applied.problem.message, applied.problem.path);
    if (applied.result.omitted.length > 0) metrics.countOmittedProperties(applied.result.omitted.length);
    return ok({ ...e, plan: applied.result });
  });
}
