/**
 * The schema version of an event: what it declared (`schemaVersion`, semver), or the plan's
 * default when it declared none. Stored on the valid event in semver's normalised form (a leading
 * `v` or `=` dropped), so `v1.2.0` and `1.2.0` are one version.
 */
import semver from 'semver';
import type { TrackingPlan } from '@stratum/tenancy';
import { problem, type Problem } from '../reasons';

/** The version the event is validated against and stored with, or why its declaration is unusable. */
export function resolveSchemaVersion(declared: string | null, plan: TrackingPlan): { version: string } | { problem: Problem } {
  if (declared === null) return { version: semver.valid(plan.defaultSchemaVersion) ?? plan.defaultSchemaVersion };
  const version = semver.valid(declared);
  if (version === null) return { problem: problem('invalid_schema_version', `schemaVersion ${JSON.stringify(declared)} is not a semver version such as 1.2.0`, 'schemaVersion') };
  return { version };
}

/** Whether a planned entry's version (as an operator typed it) is `version`. */
export function sameVersion(planned: string, version: string): boolean {
  return semver.valid(planned) === version;
}
