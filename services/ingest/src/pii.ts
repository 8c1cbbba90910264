/**
 * A tenant's PII policy, applied after identifiers were hashed (packages/tenancy/src/settings.ts):
 * `keep` forwards the event's cleartext as sent; `drop` removes cleartext email and phone from
 * traits, context.traits and properties (top-level `email` and `phone` keys, the names Segment
 * reserves for them), email and phone entries of context.externalIds, and context.ip. Only their
 * hashes, in `identifiers`, travel on. Nested objects are not searched: PII a producer buries
 * under other names is the producer's to remove.
 */
import type { PiiPolicy } from '@stratum/tenancy';
import { isJsonObject, type JsonObject } from './json-object';

export interface PiiParts {
  readonly properties: JsonObject;
  readonly traits: JsonObject;
  readonly context: JsonObject;
}

const PII_KEYS = ['email', 'phone'] as const;

function withoutPii(object: JsonObject): JsonObject {
  if (!PII_KEYS.some((k) => k in object)) return object;
  const copy = { ...object };
  for (const key of PII_KEYS) delete copy[key];
  return copy;
}

function isPiiExternalId(entry: unknown): boolean {
  return isJsonObject(entry) && typeof entry.type === 'string' && (PII_KEYS as readonly string[]).includes(entry.type.trim().toLowerCase());
}

/** The parts as the policy lets them travel (new objects where something was removed; inputs untouched). */
export function applyPiiPolicy(parts: PiiParts, policy: PiiPolicy): PiiParts {
  if (policy === 'keep') return parts;
  const context: JsonObject = { ...parts.context };
  delete context.ip;
  if (isJsonObject(context.traits)) context.traits = withoutPii(context.traits);
  if (Array.isArray(context.externalIds)) context.externalIds = context.externalIds.filter((e: unknown) => !isPiiExternalId(e));
  return { properties: withoutPii(parts.properties), traits: withoutPii(parts.traits), context };
}
