/**
 * One string per identifier, `type:namespace:valueHash`, used as the graph's node id, in edge rows
 * and in the event archive. The namespace is URI-encoded so a `:` in it cannot shift the fields;
 * types and hex hashes never contain one.
 */
import type { Identifier, IdentifierType } from '@stratum/schemas';

/**
 * The namespace of an imported person row's record identifier (`external_id`, value hash = the
 * person record id): identity-resolution's person-import stage links rows through it, and
 * `stratum import` finds the profile a row is on through it.
 */
export const PERSON_RECORD_NAMESPACE = 'stratum.person_record';

export interface IdentifierRef {
  readonly type: IdentifierType;
  /** '' when the type has none. */
  readonly namespace: string;
  readonly valueHash: string;
}

export function identifierKey(id: { type: IdentifierType; namespace?: string | null; valueHash: string }): string {
  return `${id.type}:${encodeURIComponent(id.namespace ?? '')}:${id.valueHash}`;
}

export function parseIdentifierKey(key: string): IdentifierRef {
  const [type, namespace, valueHash] = key.split(':');
  if (type === undefined || namespace === undefined || valueHash === undefined) throw new Error(`not an identifier key: ${JSON.stringify(key)}`);
  return { type: type as IdentifierType, namespace: decodeURIComponent(namespace), valueHash };
}

export function refOf(id: Identifier): IdentifierRef {
  return { type: id.type, namespace: id.namespace ?? '', valueHash: id.valueHash };
}

/** A stored identifier as a topic's Identifier record (`''` namespace → null; no `path` on a profile's own list). */
export function identifierRecordOf(id: { type: IdentifierType; namespace: string; valueHash: string; value: string | null }): Identifier {
  return { type: id.type, namespace: id.namespace === '' ? null : id.namespace, value: id.value, valueHash: id.valueHash, path: null };
}

/** An identifier key as a topic's Identifier record: only the hash travels (audits keep keys, never values). */
export function identifierRecordOfKey(key: string): Identifier {
  return identifierRecordOf({ ...parseIdentifierKey(key), value: null });
}
