/**
 * Checks of what operators type (names, limits, regions, dedup windows, plans), before anything
 * is written. Each failure names the field, the value and the rule, as the CLI prints it.
 */
import semver from 'semver';
import { tenancyErrors } from './errors';
import {
  MAX_DEDUP_WINDOW_SECONDS,
  MIN_DEDUP_WINDOW_SECONDS,
  MIN_LIMITS,
  PII_POLICIES,
  PLANNED_EVENT_TYPES,
  TRACKING_PLAN_MODES,
  type PiiPolicy,
  type PlannedEvent,
  type SourceLimits,
  type TrackingPlan,
} from './settings';

const NAME = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,62}$/;

export function checkName(what: 'tenant' | 'source', name: string): string {
  const trimmed = name.trim();
  if (!NAME.test(trimmed)) {
    throw tenancyErrors.error('invalid_input', `${what} name "${name}" is not valid: 1–63 characters, letters, digits, space, '.', '_' or '-', starting with a letter or digit`);
  }
  return trimmed;
}

export function checkPiiPolicy(value: string): PiiPolicy {
  if (!(PII_POLICIES as readonly string[]).includes(value)) throw tenancyErrors.error('invalid_input', `PII policy must be one of ${PII_POLICIES.join(', ')}, got "${value}"`);
  return value as PiiPolicy;
}

export function checkRegion(value: string | null): string | null {
  if (value === null) return null;
  const upper = value.toUpperCase();
  if (!/^[A-Z]{2}$/.test(upper)) throw tenancyErrors.error('invalid_input', `default phone region must be an ISO 3166-1 alpha-2 code such as US or DE, got "${value}"`);
  return upper;
}

/** The full limits, checked: each at least the minimum and the batch limits consistent with the event limit. */
export function checkLimits(limits: SourceLimits): SourceLimits {
  for (const key of ['maxEventBytes', 'maxBatchBytes', 'maxBatchEvents'] as const) {
    const value = limits[key];
    if (!Number.isInteger(value) || value < MIN_LIMITS[key] || value > 2 ** 31 - 1) {
      throw tenancyErrors.error('invalid_input', `${key} must be an integer of at least ${MIN_LIMITS[key]}, got ${value}`);
    }
  }
  for (const key of ['rateLimitPerSecond', 'rateLimitBurst'] as const) {
    const value = limits[key];
    if (!Number.isInteger(value) || value < 0 || value > 2 ** 31 - 1) throw tenancyErrors.error('invalid_input', `${key} must be an integer ≥ 0 (0 = unlimited), got ${value}`);
  }
  if (limits.maxEventBytes > limits.maxBatchBytes) {
    throw tenancyErrors.error('invalid_input', `maxEventBytes (${limits.maxEventBytes}) cannot exceed maxBatchBytes (${limits.maxBatchBytes}): no request could carry such an event`);
  }
  if (limits.rateLimitPerSecond > 0 && limits.rateLimitBurst < 1) {
    throw tenancyErrors.error('invalid_input', 'rateLimitBurst must be at least 1 when rateLimitPerSecond is set');
  }
  return limits;
}

/** A dedup window override: whole seconds within the bounds, or null (inherit). */
export function checkDedupWindow(value: number | null): number | null {
  if (value === null) return null;
  if (!Number.isInteger(value) || value < MIN_DEDUP_WINDOW_SECONDS || value > MAX_DEDUP_WINDOW_SECONDS) {
    throw tenancyErrors.error(
      'invalid_input',
      `dedupWindowSeconds must be a whole number of seconds from ${MIN_DEDUP_WINDOW_SECONDS} (1 minute) to ${MAX_DEDUP_WINDOW_SECONDS} (90 days), or null to inherit, got ${String(value)}`,
    );
  }
  return value;
}

function checkPlannedEvent(event: PlannedEvent, index: number): PlannedEvent {
  const where = `tracking plan events[${index}]`;
  if (!(PLANNED_EVENT_TYPES as readonly string[]).includes(event.type)) throw tenancyErrors.error('invalid_input', `${where}.type must be one of ${PLANNED_EVENT_TYPES.join(', ')}, got "${String(event.type)}"`);
  const needsName = event.type === 'track';
  if (needsName && (typeof event.name !== 'string' || event.name.length === 0)) throw tenancyErrors.error('invalid_input', `${where}.name is required for track events`);
  if ((event.type === 'identify' || event.type === 'group') && event.name !== null && event.name !== undefined) {
    throw tenancyErrors.error('invalid_input', `${where}.name must be null for ${event.type} (one traits schema per type)`);
  }
  if (typeof event.version !== 'string' || semver.valid(event.version) === null) throw tenancyErrors.error('invalid_input', `${where}.version must be a semver version such as 1.0.0, got "${String(event.version)}"`);
  if (typeof event.schema !== 'object' || event.schema === null || Array.isArray(event.schema)) throw tenancyErrors.error('invalid_input', `${where}.schema must be a JSON Schema object`);
  return { type: event.type, name: event.name ?? null, version: event.version, schema: event.schema };
}

/** A plan as read from a file: mode, defaultSchemaVersion and events, each checked. */
export function checkTrackingPlan(plan: TrackingPlan): TrackingPlan {
  if (!(TRACKING_PLAN_MODES as readonly string[]).includes(plan.mode)) throw tenancyErrors.error('invalid_input', `tracking plan mode must be one of ${TRACKING_PLAN_MODES.join(', ')}, got "${String(plan.mode)}"`);
  if (semver.valid(plan.defaultSchemaVersion) === null) throw tenancyErrors.error('invalid_input', `tracking plan defaultSchemaVersion must be semver, got "${String(plan.defaultSchemaVersion)}"`);
  if (!Array.isArray(plan.events)) throw tenancyErrors.error('invalid_input', 'tracking plan events must be an array');
  const events = plan.events.map(checkPlannedEvent);
  const seen = new Set<string>();
  for (const e of events) {
    const id = `${e.type}/${e.name ?? ''}@${e.version}`;
    if (seen.has(id)) throw tenancyErrors.error('invalid_input', `tracking plan lists ${id} twice`);
    seen.add(id);
  }
  return { mode: plan.mode, defaultSchemaVersion: plan.defaultSchemaVersion, events };
}
