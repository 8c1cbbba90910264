/**
 * Every identifier of the person behind an event, canonicalised and hashed, in the order the
 * events.valid schema documents: userId, anonymousId, traits, context, previousId. Identical
 * identifiers (same type, namespace and hash) are kept once, at their first path. Values that
 * cannot be identifiers (a malformed email, an unreadable phone, a placeholder id) are left out
 * and reported, never guessed at.
 */
import { canonicalEmail, canonicalPhone, isIllegalIdentifier, sha256Hex, type IdentifierRejection } from '@stratum/identifiers';
import type { EventType, Identifier, IdentifierType } from '@stratum/schemas';
import { isJsonObject, type JsonObject } from '../json-object';

/** Why a value was not turned into an identifier (a metric label: a closed set). */
export type { IdentifierRejection };

export interface RejectedIdentifier {
  readonly type: IdentifierType;
  readonly path: string;
  readonly reason: IdentifierRejection;
}

/** What extraction reads: the identity fields (already checked for illegal values) and the parsed objects. */
export interface IdentitySource {
  readonly type: EventType;
  readonly userId: string | null;
  readonly anonymousId: string | null;
  readonly previousId: string | null;
  readonly traits: JsonObject;
  readonly context: JsonObject;
  /** ISO 3166-1 alpha-2 region for national phone numbers; null = international input only. */
  readonly defaultPhoneRegion: string | null;
}

export interface ExtractedIdentifiers {
  readonly identifiers: Identifier[];
  readonly rejected: RejectedIdentifier[];
}

/** Text of an id sent as a string or (some SDKs do) a number; null for anything else. */
function idText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

/** Lower-cased device type (`ios`, `android`…), or null. */
function deviceKind(device: JsonObject): string | null {
  const type = typeof device.type === 'string' ? device.type.trim().toLowerCase() : '';
  return type === '' ? null : type;
}

/** The advertising id's kind, as ad platforms name it. */
function advertisingNamespace(kind: string | null): string {
  if (kind === 'ios') return 'ios_idfa';
  if (kind === 'android') return 'android_aaid';
  return kind === null ? 'advertising_id' : `${kind}_advertising_id`;
}

class Collector {
  readonly identifiers: Identifier[] = [];
  readonly rejected: RejectedIdentifier[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly phoneRegion: string | null) {}

  /** A non-PII id (user, anonymous, device, external): canonical value as given. */
  plain(type: IdentifierType, value: unknown, path: string, namespace: string | null = null): void {
    if (value === undefined || value === null) return;
    const text = idText(value);
    if (text === null || isIllegalIdentifier(text)) return this.reject(type, path, 'illegal_value');
    this.add({ type, namespace, value: text, valueHash: sha256Hex(text), path });
  }

  email(value: unknown, path: string): void {
    if (value === undefined || value === null) return;
    const canonical = typeof value === 'string' ? canonicalEmail(value) : null;
    if (canonical === null) return this.reject('email', path, 'invalid_email');
    this.add({ type: 'email', namespace: null, value: null, valueHash: sha256Hex(canonical), path });
  }

  phone(value: unknown, path: string): void {
    if (value === undefined || value === null) return;
    const result = typeof value === 'string' || typeof value === 'number' ? canonicalPhone(value, this.phoneRegion) : ({ rejected: 'invalid_phone' } as const);
    if ('rejected' in result) return this.reject('phone', path, result.rejected);
    this.add({ type: 'phone', namespace: null, value: null, valueHash: sha256Hex(result.e164), path });
  }

  private add(identifier: Identifier): void {
    const key = `${identifier.type}\u0000${identifier.namespace ?? ''}\u0000${identifier.valueHash}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.identifiers.push(identifier);
  }

  private reject(type: IdentifierType, path: string, reason: IdentifierRejection): void {
    this.rejected.push({ type, path, reason });
  }
}

/** The person's email and phone from a traits object. */
function fromTraits(c: Collector, traits: JsonObject, prefix: string): void {
  c.email(traits.email, `${prefix}.email`);
  c.phone(traits.phone, `${prefix}.phone`);
}

function fromDevice(c: Collector, device: JsonObject): void {
  const kind = deviceKind(device);
  c.plain('device_id', device.id, 'context.device.id', kind ?? 'device');
  // A user who limited ad tracking has no advertising id to use (iOS sends zeros then anyway).
  if (device.adTrackingEnabled !== false) c.plain('device_id', device.advertisingId, 'context.device.advertisingId', advertisingNamespace(kind));
}

/**
 * Segment's context.externalIds: [{ id, type, collection, encoding }]. The step before checked
 * the shape. An email or phone sent this way is canonicalised and hashed like traits.email, so its
 * cleartext never travels as an external id.
 */
function fromExternalIds(c: Collector, externalIds: readonly JsonObject[]): void {
  externalIds.forEach((entry, i) => {
    const path = `context.externalIds[${i}].id`;
    const type = String(entry.type).trim();
    const encoded = typeof entry.encoding === 'string' && !['', 'none'].includes(entry.encoding.toLowerCase());
    if (!encoded && type.toLowerCase() === 'email') c.email(entry.id, path);
    else if (!encoded && type.toLowerCase() === 'phone') c.phone(entry.id, path);
    else c.plain('external_id', entry.id, path, type);
  });
}

/** The event's identifiers, and the values that could not be identifiers. */
export function extractIdentifiers(event: IdentitySource): ExtractedIdentifiers {
  const c = new Collector(event.defaultPhoneRegion);
  c.plain('user_id', event.userId, 'userId');
  c.plain('anonymous_id', event.anonymousId, 'anonymousId');
  // A group call's traits describe the company, not the person: its email is not theirs.
  if (event.type !== 'group') fromTraits(c, event.traits, 'traits');
  const { context } = event;
  if (isJsonObject(context.traits)) fromTraits(c, context.traits, 'context.traits');
  if (isJsonObject(context.device)) fromDevice(c, context.device);
  if (Array.isArray(context.externalIds)) fromExternalIds(c, context.externalIds.filter(isJsonObject));
  // alias: whether previousId was a userId or an anonymousId is unknown; see docs/ingest.md.
  c.plain('anonymous_id', event.previousId, 'previousId');
  return { identifiers: c.identifiers, rejected: c.rejected };
}
