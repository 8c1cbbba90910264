/**
 * Every write the registry makes, as a pure decision over the current state: which records to
 * append to `_schemas` and what to answer, or a RegistryError. The store runs a decision against
 * a state that is known to be complete (see store/store.ts), so ids, versions and compatibility
 * are decided against everything other replicas have written.
 */
import { storedType, type ParsedSchema } from './avro';
import { checkCompatibility, type CompatibilityLevel, type PreviousVersion } from './compatibility';
import { messages, registryError } from './errors';
import type { LogRecord, SchemaValue } from './records';
import { schemaIdentity, type RegistryState } from './state';

export interface Decision<T> {
  records: LogRecord[];
  result: T;
}

/** Finds a live version of `subject` already holding this schema (no write needed to re-register). */
export function findRegistered(state: RegistryState, subject: string, schema: ParsedSchema): SchemaValue | undefined {
  return state.findInSubject(subject, schemaIdentity(undefined, schema.canonical));
}

/** The live versions a new schema is checked against under `level`, oldest first. */
function versionsToCheck(state: RegistryState, subject: string, level: CompatibilityLevel): PreviousVersion[] {
  // Only Avro versions can be checked (a topic shared with Confluent may hold other types).
  const live = state.versions(subject).filter((v) => v.schemaType === undefined);
  const relevant = level.endsWith('_TRANSITIVE') ? live : live.slice(-1);
  return relevant.map((v) => ({ version: v.version, type: storedType(v.schema) }));
}

/** Reasons `schema` is incompatible with `subject`'s versions (all, or only `version`). */
export function compatibilityReasons(state: RegistryState, subject: string, schema: ParsedSchema, version?: SchemaValue): string[] {
  const level = state.effectiveLevel(subject);
  const previous = version ? [{ version: version.version, type: storedType(version.schema) }] : versionsToCheck(state, subject, level);
  return checkCompatibility(level, schema.type, previous);
}

/** POST /subjects/{s}/versions. */
export function decideRegister(state: RegistryState, subject: string, schema: ParsedSchema): Decision<{ id: number }> {
  const existing = findRegistered(state, subject, schema);
  if (existing) return { records: [], result: { id: existing.id } };
  const reasons = compatibilityReasons(state, subject, schema);
  if (reasons.length > 0) {
    throw registryError('INCOMPATIBLE_SCHEMA', `Schema being registered is incompatible with an earlier schema for subject "${subject}", details: [${reasons.join(', ')}]`);
  }
  const identity = schemaIdentity(undefined, schema.canonical);
  const id = state.idFor(identity) ?? state.nextId();
  const version = state.nextVersion(subject);
  const records: LogRecord[] = [{ kind: 'schema', subject, version, value: { subject, version, id, schema: schema.text, deleted: false } }];
  // As Confluent does: a soft-deleted earlier version with the same id is removed for good.
  for (const old of state.versions(subject, true)) {
    if (old.deleted && old.id === id) records.push({ kind: 'schema', subject, version: old.version, value: null });
  }
  return { records, result: { id } };
}

/** Removing a subject's last live version also removes its compatibility level (Confluent). */
function configTombstone(state: RegistryState, subject: string): LogRecord[] {
  return state.subjectLevel(subject) ? [{ kind: 'config', subject, value: null }] : [];
}

/** DELETE /subjects/{s}[?permanent=true]: the versions deleted. */
export function decideDeleteSubject(state: RegistryState, subject: string, permanent: boolean): Decision<number[]> {
  if (!state.hasSubject(subject, true)) throw registryError('SUBJECT_NOT_FOUND', messages.subjectNotFound(subject));
  if (!permanent) {
    const live = state.versions(subject);
    if (live.length === 0) throw registryError('SUBJECT_SOFT_DELETED', messages.subjectSoftDeleted(subject));
    const records: LogRecord[] = live.map((v) => ({ kind: 'schema', subject, version: v.version, value: { ...v, deleted: true } }));
    return { records: [...records, ...configTombstone(state, subject)], result: live.map((v) => v.version) };
  }
  const all = state.versions(subject, true);
  if (all.some((v) => !v.deleted)) throw registryError('SUBJECT_NOT_SOFT_DELETED', messages.subjectNotSoftDeleted(subject));
  return { records: all.map((v) => ({ kind: 'schema', subject, version: v.version, value: null })), result: all.map((v) => v.version) };
}

/** DELETE /subjects/{s}/versions/{v}[?permanent=true]: the version deleted. `version` -1 = latest. */
export function decideDeleteVersion(state: RegistryState, subject: string, version: number, permanent: boolean): Decision<number> {
  const value = state.version(subject, version, true);
  if (!value) {
    if (!state.hasSubject(subject, true)) throw registryError('SUBJECT_NOT_FOUND', messages.subjectNotFound(subject));
    throw registryError('VERSION_NOT_FOUND', messages.versionNotFound(version));
  }
  if (!permanent) {
    if (value.deleted) throw registryError('VERSION_SOFT_DELETED', messages.versionSoftDeleted(subject, value.version));
    const records: LogRecord[] = [{ kind: 'schema', subject, version: value.version, value: { ...value, deleted: true } }];
    const lastLive = state.versions(subject).length === 1;
    return { records: lastLive ? [...records, ...configTombstone(state, subject)] : records, result: value.version };
  }
  if (!value.deleted) throw registryError('VERSION_NOT_SOFT_DELETED', messages.versionNotSoftDeleted(subject, value.version));
  return { records: [{ kind: 'schema', subject, version: value.version, value: null }], result: value.version };
}

/** PUT /config[/{s}]: echoes the level; writes nothing when it is already set. */
export function decideSetConfig(state: RegistryState, subject: string | null, level: CompatibilityLevel): Decision<{ compatibility: CompatibilityLevel }> {
  const current = subject === null ? (state.hasGlobalLevel() ? state.globalCompatibility() : undefined) : state.subjectLevel(subject);
  const records: LogRecord[] = current === level ? [] : [{ kind: 'config', subject, value: level }];
  return { records, result: { compatibility: level } };
}

/** DELETE /config[/{s}]: the level that was removed (global: back to the default). */
export function decideDeleteConfig(state: RegistryState, subject: string | null): Decision<{ compatibilityLevel: CompatibilityLevel }> {
  if (subject === null) {
    const records: LogRecord[] = state.hasGlobalLevel() ? [{ kind: 'config', subject: null, value: null }] : [];
    return { records, result: { compatibilityLevel: state.globalCompatibility() } };
  }
  const level = state.subjectLevel(subject);
  // Confluent 7.x answers 40401 (not 40408) for a subject without a level here.
  if (!level) throw registryError('SUBJECT_NOT_FOUND', messages.subjectNotFound(subject));
  return { records: [{ kind: 'config', subject, value: null }], result: { compatibilityLevel: level } };
}
