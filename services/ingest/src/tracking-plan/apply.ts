/**
 * A source's tracking plan applied to one event (modes as packages/tenancy/src/settings.ts
 * defines them; docs/ingest.md, "Tracking plans"):
 * - an event is *planned* when the plan has an entry of its type and name (track: event; page,
 *   screen: name; identify, group: one entry for the type). alias carries no payload to plan;
 * - a planned event is validated against the entry of its schema version, which must exist;
 * - `allow` lets unplanned events through untouched; `block` quarantines them;
 * - `omit_unplanned_properties` also removes, from a planned event, the top-level properties
 *   (traits for identify/group) its schema does not declare, before validating. Nested objects
 *   are left as sent: the schema validates them, and a nested `additionalProperties: false`
 *   still quarantines.
 */
import type { EventType } from '@stratum/schemas';
import type { PlannedEvent, SourceSettings } from '@stratum/tenancy';
import type { JsonObject } from '../json-object';
import { problem, type Problem } from '../reasons';
import { describeAjvErrors, type DeclaredProperties, type ValidatorCache } from './compile';
import { resolveSchemaVersion, sameVersion } from './version';

export interface PlanInput {
  readonly type: EventType;
  readonly event: string | null;
  readonly name: string | null;
  readonly schemaVersion: string | null;
  readonly properties: JsonObject;
  readonly traits: JsonObject;
}

export interface PlanResult {
  readonly schemaVersion: string;
  readonly properties: JsonObject;
  readonly traits: JsonObject;
  /** Paths of the properties (or traits) removed as unplanned. */
  readonly omitted: readonly string[];
}

/** Which part of the event a plan entry describes, and under which name the plan lists it. */
function plannedAs(input: PlanInput): { payload: 'properties' | 'traits'; name: string | null; label: string } | null {
  switch (input.type) {
    case 'track':
      return { payload: 'properties', name: input.event, label: `track ${JSON.stringify(input.event)}` };
    case 'page':
    case 'screen':
      return { payload: 'properties', name: input.name, label: `${input.type} ${JSON.stringify(input.name)}` };
    case 'identify':
    case 'group':
      return { payload: 'traits', name: null, label: input.type };
    case 'alias':
      return null;
  }
}

function omitUnplanned(payload: JsonObject, declared: DeclaredProperties, root: string): { kept: JsonObject; omitted: string[] } {
  const kept: JsonObject = {};
  const omitted: string[] = [];
  for (const [key, value] of Object.entries(payload)) {
    if (declared.names.has(key) || declared.patterns.some((p) => p.test(key))) kept[key] = value;
    else omitted.push(`${root}.${key}`);
  }
  return { kept, omitted };
}

/** The event as the plan lets it through, or the problem that quarantines it. */
export function applyTrackingPlan(input: PlanInput, source: SourceSettings, cache: ValidatorCache): { result: PlanResult } | { problem: Problem } {
  const plan = source.trackingPlan;
  const resolved = resolveSchemaVersion(input.schemaVersion, plan);
  if ('problem' in resolved) return resolved;
  const { version } = resolved;
  const unchanged = { result: { schemaVersion: version, properties: input.properties, traits: input.traits, omitted: [] } };

  const as = plannedAs(input);
  if (as === null) return unchanged;
  const entries = plan.events.filter((e: PlannedEvent) => e.type === input.type && (e.name ?? null) === as.name);
  if (entries.length === 0) {
    return plan.mode === 'block' ? { problem: problem('unplanned_event', `${as.label} is not in the tracking plan, and the source blocks unplanned events`, input.type === 'track' ? 'event' : 'type') } : unchanged;
  }
  const entry = entries.find((e) => sameVersion(e.version, version));
  if (entry === undefined) {
    const planned = entries.map((e) => e.version).join(', ');
    const how = input.schemaVersion === null ? `the plan's default version ${version}` : `schemaVersion ${version}`;
    return { problem: problem('unknown_schema_version', `${as.label} is planned at version ${planned}, not at ${how}`, 'schemaVersion') };
  }

  const compiled = cache.get(source.tenantId, source.sourceId, entry);
  if (compiled.validate === null) {
    return { problem: problem('invalid_plan_schema', `the plan's schema for ${as.label} ${entry.version} does not compile: ${compiled.compileError ?? 'unknown error'}`, as.payload) };
  }
  let payload = input[as.payload];
  let omitted: string[] = [];
  if (plan.mode === 'omit_unplanned_properties' && compiled.declared !== null) ({ kept: payload, omitted } = omitUnplanned(payload, compiled.declared, as.payload));
  if (!compiled.validate(payload)) {
    const { message, path } = describeAjvErrors(compiled.validate.errors ?? [], as.payload);
    return { problem: problem('plan_violation', `${as.label} ${entry.version}: ${message}`, path) };
  }
  return { result: { schemaVersion: version, properties: as.payload === 'properties' ? payload : input.properties, traits: as.payload === 'traits' ? payload : input.traits, omitted } };
}
