/**
 * The registry's state, materialised from the `_schemas` log: every replica that applies the
 * same records in the same order holds the same state. Nothing here talks to Kafka.
 *
 * Ids: an id names a canonical schema. `canonicalIds` and `maxId` remember every schema ever
 * seen in the log, deleted or not, so a schema registered again after a permanent delete gets its
 * old id back and a new schema never reuses an id.
 */
import { canonicalForm } from './avro';
import { DEFAULT_COMPATIBILITY, type CompatibilityLevel } from './compatibility';
import type { LogRecord, SchemaValue } from './records';

const refKey = (subject: string, version: number) => `${subject}\u0000${version}`;

/** What makes two registrations the same schema: its type and canonical form. */
export function schemaIdentity(schemaType: string | undefined, canonical: string): string {
  return `${schemaType ?? 'AVRO'}:${canonical}`;
}

export class RegistryState {
  private readonly subjects = new Map<string, Map<number, SchemaValue>>();
  private readonly configs = new Map<string, CompatibilityLevel>();
  private globalLevel: CompatibilityLevel | undefined;
  /** id → the subject versions that currently hold it (soft-deleted ones included). */
  private readonly idHolders = new Map<number, Set<string>>();
  /** id → schema as first registered; kept after the last holder is gone, served only while one exists. */
  private readonly idSchemas = new Map<number, { schema: string; schemaType?: string }>();
  private readonly canonicalIds = new Map<string, number>();
  private maxId = 0;

  /** Applies one record of the log. */
  apply(record: LogRecord): void {
    switch (record.kind) {
      case 'schema':
        return this.applySchema(record.subject, record.version, record.value);
      case 'config':
        if (record.subject === null) this.globalLevel = record.value ?? undefined;
        else if (record.value) this.configs.set(record.subject, record.value);
        else this.configs.delete(record.subject);
        return;
      case 'delete-subject':
        for (const value of this.subjects.get(record.subject)?.values() ?? []) {
          if (value.version <= record.version) this.applySchema(value.subject, value.version, { ...value, deleted: true });
        }
        return;
    }
  }

  private applySchema(subject: string, version: number, value: SchemaValue | null): void {
    let versions = this.subjects.get(subject);
    const old = versions?.get(version);
    if (old) this.idHolders.get(old.id)?.delete(refKey(subject, version));
    if (!value) {
      versions?.delete(version);
      if (versions?.size === 0) this.subjects.delete(subject);
      return;
    }
    if (!versions) this.subjects.set(subject, (versions = new Map()));
    versions.set(version, value);
    let holders = this.idHolders.get(value.id);
    if (!holders) this.idHolders.set(value.id, (holders = new Set()));
    holders.add(refKey(subject, version));
    if (!this.idSchemas.has(value.id)) this.idSchemas.set(value.id, { schema: value.schema, ...(value.schemaType ? { schemaType: value.schemaType } : {}) });
    const identity = schemaIdentity(value.schemaType, canonicalForm(value.schema));
    if (!this.canonicalIds.has(identity)) this.canonicalIds.set(identity, value.id);
    this.maxId = Math.max(this.maxId, value.id);
  }

  /** Subject names, sorted; soft-deleted subjects (every version deleted) only when asked. */
  subjectNames(includeDeleted = false): string[] {
    const names: string[] = [];
    for (const [name, versions] of this.subjects) {
      if (includeDeleted || [...versions.values()].some((v) => !v.deleted)) names.push(name);
    }
    return names.sort();
  }

  /** Whether the subject has a version (a live one unless `includeDeleted`). */
  hasSubject(subject: string, includeDeleted = false): boolean {
    return this.versions(subject, includeDeleted).length > 0;
  }

  /** The subject's versions, ascending. */
  versions(subject: string, includeDeleted = false): SchemaValue[] {
    const versions = this.subjects.get(subject);
    if (!versions) return [];
    return [...versions.values()].filter((v) => includeDeleted || !v.deleted).sort((a, b) => a.version - b.version);
  }

  /** One version; `-1` is the latest live one (Confluent resolves "latest" among live versions only). */
  version(subject: string, version: number, includeDeleted = false): SchemaValue | undefined {
    if (version === -1) return this.versions(subject).at(-1);
    const value = this.subjects.get(subject)?.get(version);
    return value && (includeDeleted || !value.deleted) ? value : undefined;
  }

  /** The next version number: one more than any version the subject holds, deleted or not. */
  nextVersion(subject: string): number {
    return Math.max(0, ...(this.subjects.get(subject)?.keys() ?? [])) + 1;
  }

  /** The version of `subject` holding this canonical schema, if any. */
  findInSubject(subject: string, identity: string, includeDeleted = false): SchemaValue | undefined {
    const id = this.canonicalIds.get(identity);
    if (id === undefined) return undefined;
    return this.versions(subject, includeDeleted).find((v) => v.id === id);
  }

  /** The id this schema had or has anywhere, if it was ever registered. */
  idFor(identity: string): number | undefined {
    return this.canonicalIds.get(identity);
  }

  /** The id a new schema gets. */
  nextId(): number {
    return this.maxId + 1;
  }

  /** The schema behind an id while any subject version (soft-deleted included) holds it. */
  schemaById(id: number): { schema: string; schemaType?: string } | undefined {
    const holders = this.idHolders.get(id);
    return holders && holders.size > 0 ? this.idSchemas.get(id) : undefined;
  }

  /** The subject versions holding an id, sorted by subject then version. */
  holdersOf(id: number, includeDeleted = false): SchemaValue[] {
    const out: SchemaValue[] = [];
    for (const key of this.idHolders.get(id) ?? []) {
      const [subject, version] = key.split('\u0000') as [string, string];
      const value = this.subjects.get(subject)?.get(Number(version));
      if (value && (includeDeleted || !value.deleted)) out.push(value);
    }
    return out.sort((a, b) => (a.subject === b.subject ? a.version - b.version : a.subject < b.subject ? -1 : 1));
  }

  /** The subject-level compatibility level, if one is set. */
  subjectLevel(subject: string): CompatibilityLevel | undefined {
    return this.configs.get(subject);
  }

  /** The global level (BACKWARD unless set). */
  globalCompatibility(): CompatibilityLevel {
    return this.globalLevel ?? DEFAULT_COMPATIBILITY;
  }

  /** Whether the global level was set explicitly (so DELETE /config has something to remove). */
  hasGlobalLevel(): boolean {
    return this.globalLevel !== undefined;
  }

  /** The level that applies to the subject: its own, else the global one. */
  effectiveLevel(subject: string): CompatibilityLevel {
    return this.subjectLevel(subject) ?? this.globalCompatibility();
  }
}
