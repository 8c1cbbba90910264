/**
 * Compatibility levels and the Avro check behind them (Confluent's `CompatibilityChecker`):
 *   BACKWARD  the new schema can read data written with the latest version
 *   FORWARD   the latest version can read data written with the new schema
 *   FULL      both
 *   *_TRANSITIVE  the same against every earlier (not deleted) version, not only the latest
 *   NONE      no check
 * "Can read" is avsc schema resolution with unqualified names, as Java Avro compares them.
 */
import type { AvroType } from './avro';

export const COMPATIBILITY_LEVELS = ['NONE', 'BACKWARD', 'BACKWARD_TRANSITIVE', 'FORWARD', 'FORWARD_TRANSITIVE', 'FULL', 'FULL_TRANSITIVE'] as const;

export type CompatibilityLevel = (typeof COMPATIBILITY_LEVELS)[number];

/** The global level when none was set, as in Confluent. */
export const DEFAULT_COMPATIBILITY: CompatibilityLevel = 'BACKWARD';

/** Parses a level case-insensitively (Confluent accepts "backward"); undefined if it is not one. */
export function parseCompatibilityLevel(value: unknown): CompatibilityLevel | undefined {
  if (typeof value !== 'string') return undefined;
  const upper = value.toUpperCase();
  return COMPATIBILITY_LEVELS.find((level) => level === upper);
}

/** Why `reader` cannot read data written with `writer`, or null when it can. */
export function cannotRead(reader: AvroType, writer: AvroType): string | null {
  try {
    reader.createResolver(writer, { ignoreNamespaces: true });
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

export interface PreviousVersion {
  version: number;
  type: AvroType;
}

/**
 * Checks `candidate` against `previous` (ascending by version) under `level`. Returns the
 * reasons it is incompatible — empty when compatible. Like Confluent, versions are tried
 * newest first and the first incompatible one is reported.
 */
export function checkCompatibility(level: CompatibilityLevel, candidate: AvroType, previous: readonly PreviousVersion[]): string[] {
  if (level === 'NONE' || previous.length === 0) return [];
  const transitive = level.endsWith('_TRANSITIVE');
  const against = transitive ? [...previous].reverse() : previous.slice(-1);
  const backward = level.startsWith('BACKWARD') || level.startsWith('FULL');
  const forward = level.startsWith('FORWARD') || level.startsWith('FULL');
  for (const old of against) {
    const reasons: string[] = [];
    const newCannotRead = backward ? cannotRead(candidate, old.type) : null;
    if (newCannotRead !== null) reasons.push(`{description: 'the new schema cannot read data written with version ${old.version}: ${newCannotRead}'}`);
    const oldCannotRead = forward ? cannotRead(old.type, candidate) : null;
    if (oldCannotRead !== null) reasons.push(`{description: 'version ${old.version} cannot read data written with the new schema: ${oldCannotRead}'}`);
    if (reasons.length > 0) return [...reasons, `{oldSchemaVersion: ${old.version}}`, `{compatibility: '${level}'}`];
  }
  return [];
}
