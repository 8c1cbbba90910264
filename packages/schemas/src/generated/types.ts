// Generated from schemas/*.avsc by `pnpm --filter @stratum/schemas generate`. Do not edit.

/** A point in time: milliseconds since the Unix epoch, UTC (Avro long, logicalType timestamp-millis). */
export type EpochMillis = number;

/** The profile's primary identifiers, chosen by identifier priority. */
export interface CanonicalIdentity {
  /** The profile's userId. */
  userId: null | string;
  /** The most recently seen anonymousId. */
  anonymousId: null | string;
  /** SHA-256 of the primary email. */
  emailHash: null | string;
  /** SHA-256 of the primary E.164 phone. */
  phoneHash: null | string;
  /** All of the profile's identifiers (capped by the tenant's per-type limits). */
  identifiers: Array<Identifier>;
}

/** A change of a person's consent for one purpose, time-versioned: the legal record delivery checks against. */
export interface ConsentChange {
  /** Unique id (UUID). */
  changeId: string;
  /** Owning tenant. */
  tenantId: string;
  /** The profile, when known; null when consent was given for an identifier with no profile yet (e.g. an SMS STOP from a number). */
  profileId: null | string;
  /** Identifiers the consent was expressed through (e.g. the phone that texted STOP). */
  identifiers: Array<Identifier>;
  /** Purpose, e.g. marketing, analytics, advertising, sms, email. */
  purpose: string;
  /** The new state. */
  status: ConsentStatus;
  /** Where the change came from. */
  source: ConsentSource;
  /** Event that carried it, when it came from an event. */
  messageId: null | string;
  /** Proof as JSON object text (e.g. consent banner version, IP, SMS body). */
  evidence: null | string;
  /** When the person gave or withdrew consent. */
  effectiveAt: EpochMillis;
  /** When Stratum recorded it. */
  recordedAt: EpochMillis;
}

export type ConsentSource = 'event' | 'api' | 'sms_keyword' | 'import' | 'operator';

/** A profile's current consent for one purpose. */
export interface ConsentState {
  /** Purpose, e.g. marketing, analytics, advertising, sms, email. */
  purpose: string;
  /** Whether the purpose is allowed now. */
  granted: boolean;
  /** When this consent last changed. */
  updatedAt: EpochMillis;
}

export type ConsentStatus = 'granted' | 'denied' | 'withdrawn';

/** A delivery Stratum gave up on, kept for inspection and replay. */
export interface DeadLetter {
  /** Unique id (UUID); a replay names it in replayOf. */
  dlqId: string;
  /** Owning tenant. */
  tenantId: string;
  /** The tenant's configured destination. */
  destinationId: string;
  /** Adapter: webhook, meta_capi, ga4, tiktok, twilio_sms, ... */
  destinationType: string;
  /** The event's messageId; with destinationId, the idempotency key at the destination. */
  messageId: string;
  /** The event's profile. */
  profileId: string;
  /** How many attempts were made. */
  attempts: number;
  /** When the first attempt was made. */
  firstAttemptAt: EpochMillis;
  /** When the last attempt was made. */
  lastAttemptAt: EpochMillis;
  /** When it was given up. */
  deadLetteredAt: EpochMillis;
  /** Why it was given up: attempts_exhausted, max_age_exceeded, permanent_error, ... */
  reason: string;
  /** The last attempt's error. */
  lastError: null | DeliveryError;
  /** Topic the final attempt came from. */
  originTopic: string;
  /** The resolved event that was not delivered. */
  event: ResolvedEvent;
}

/** One event due for delivery to one destination: the first try, a retry the retry stage sends back when it is due, or an operator's replay from the DLQ. */
export interface DeliveryAttempt {
  /** Owning tenant. */
  tenantId: string;
  /** The tenant's configured destination. */
  destinationId: string;
  /** Adapter: webhook, meta_capi, ga4, tiktok, twilio_sms, ... */
  destinationType: string;
  /** The event's messageId; with destinationId, the idempotency key at the destination. */
  messageId: string;
  /** The event's profile. */
  profileId: string;
  /** 1 for the first try; the retry stage adds one each time. */
  attempt: number;
  /** Do not send before this time (backoff with jitter, or the platform's Retry-After). */
  notBefore: EpochMillis;
  /** When the first try was made; null before it. */
  firstAttemptAt: null | EpochMillis;
  /** Why the previous attempt failed; null on the first. */
  lastError: null | DeliveryError;
  /** dlqId of the dead letter an operator replayed. */
  replayOf: null | string;
  /** An operator's replay marked as a backfill: the event is historical. Adapters that act on people now (SMS) skip it; the webhook payload says so; platform age limits still apply. */
  backfill: boolean;
  /** The resolved event to deliver. */
  event: ResolvedEvent;
}

/** How a delivery attempt failed. */
export interface DeliveryError {
  /** Stable code, e.g. http_429, http_5xx, timeout, connection_refused, invalid_payload, auth_failed, circuit_open. */
  code: string;
  /** What the platform or the adapter said. */
  message: string;
  /** HTTP status, when there was a response. */
  httpStatus: null | number;
  /** The platform's Retry-After, in milliseconds, when it sent one. */
  retryAfterMs: null | number;
  /** Whether another attempt can succeed. */
  retryable: boolean;
}

/** What happened to one delivery attempt: the record behind delivery status, metrics and `stratum trace`. */
export interface DeliveryOutcome {
  /** Owning tenant. */
  tenantId: string;
  /** The tenant's configured destination. */
  destinationId: string;
  /** Adapter: webhook, meta_capi, ga4, tiktok, twilio_sms, ... */
  destinationType: string;
  /** The event's messageId; with destinationId, the idempotency key at the destination. */
  messageId: string;
  /** The event's profile. */
  profileId: string;
  /** Which attempt this was. */
  attempt: number;
  /** delivered; retrying (a retry is scheduled); failed (permanent error); skipped (consent, filter, do-not-contact, opt-out); expired (too old for the platform, e.g. Meta's 7 days); dead_lettered (gave up). */
  status: DeliveryStatus;
  /** Stable reason code (e.g. consent_denied, do_not_contact, filtered, http_429, attempts_exhausted); null when delivered. */
  reason: null | string;
  /** HTTP status of the platform's answer. */
  httpStatus: null | number;
  /** Time the request took. */
  latencyMs: null | number;
  /** The platform's id for what was sent (Twilio message SID, Meta fbtrace_id, ...). */
  externalId: null | string;
  /** For retrying: when the next attempt is due. */
  nextAttemptAt: null | EpochMillis;
  /** When the outcome was known. */
  occurredAt: EpochMillis;
}

export type DeliveryStatus = 'delivered' | 'retrying' | 'failed' | 'skipped' | 'expired' | 'dead_lettered';

/** Segment call type. */
export type EventType = 'track' | 'identify' | 'page' | 'screen' | 'group' | 'alias';

/** One identifier of a person, normalised and hashed by ingest. */
export interface Identifier {
  /** What kind of identifier it is. */
  type: IdentifierType;
  /** Qualifies external_id and device_id values: the external system (e.g. salesforce) or device id kind (e.g. ios_idfa). Null for the other types. */
  namespace: null | string;
  /** Canonical cleartext for non-PII types (user_id, anonymous_id, device_id, external_id). Always null for email and phone: only their hash travels. */
  value: null | string;
  /** Lower-case hex SHA-256 of the canonical value (email: trimmed, lower-cased; phone: E.164; others: as given). Unsalted, so it matches what ad platforms expect. */
  valueHash: string;
  /** Where ingest found it, e.g. userId, anonymousId, traits.email, context.device.id, previousId. Null on a profile's own identifier list. */
  path: null | string;
}

export type IdentifierType = 'user_id' | 'anonymous_id' | 'email' | 'phone' | 'device_id' | 'external_id';

export type IdentityAction = 'link' | 'merge' | 'unmerge' | 'review' | 'reject';

/** One decision of the identity graph, with its provenance: identifiers linked to a profile, profiles merged, a merge undone, a merge held for review or refused by merge protection. The audit trail behind `stratum trace` and unmerge. */
export interface IdentityAudit {
  /** Unique id of this decision (UUID). */
  auditId: string;
  /** Owning tenant. */
  tenantId: string;
  /** link: identifiers attached to profileId; merge: otherProfileIds merged into profileId; unmerge: otherProfileIds split off profileId; review: a merge held for review (anomaly guard, fuzzy tier); reject: a link refused by merge protection. */
  action: IdentityAction;
  /** The profile acted on: the survivor of a merge, the source of an unmerge. */
  profileId: string;
  /** Merged-away, split-off, or candidate profiles. */
  otherProfileIds: Array<string>;
  /** The identifiers that linked (or would have linked) the profiles. */
  identifiers: Array<Identifier>;
  /** Why. */
  provenance: Provenance;
  /** When the decision was made. */
  occurredAt: EpochMillis;
}

/** How the event entered Stratum. */
export type IngestionChannel = 'http' | 'kafka' | 'import' | 'replay';

/** A quarantined record: the bytes exactly as read, where they came from, and every reason they were refused. Operators inspect and replay these. */
export interface InvalidEvent {
  /** Owning tenant, when it could be read from the record. */
  tenantId: null | string;
  /** Source, when it could be read. */
  sourceId: null | string;
  /** messageId, when it could be read. */
  messageId: null | string;
  /** The stage that quarantined it (ingest, or any stage that could not decode its input). */
  stage: string;
  /** Why it was refused; at least one. */
  reasons: Array<QuarantineReason>;
  /** Where the record was read from. */
  origin: RecordOrigin;
  /** The record key exactly as read. */
  key: null | Buffer;
  /** The record value exactly as read (Confluent-framed when it was Avro). */
  value: null | Buffer;
  /** The value decoded to JSON when it could be decoded, for people and for replay. */
  valueJson: null | string;
  /** When it was quarantined. */
  quarantinedAt: EpochMillis;
}

export type MatchTier = 'exact' | 'strong' | 'fuzzy';

/** One data row of a person file loaded by `stratum import`, after hygiene, for identity resolution to match into profiles. */
export interface PersonImport {
  /** Owning tenant. */
  tenantId: string;
  /** The source the file was imported for. */
  sourceId: string;
  /** Lower-case hex SHA-256 of the file's bytes: identifies the import; with rowNumber it identifies a row, so a consumer can skip a row it has already resolved (re-runs and resumed runs). */
  importId: string;
  /** 1-based number of the data row in the file (the header is not counted). */
  rowNumber: number;
  /** The file's own id of the row (its mapped id column), as given; null when no column is mapped to it. */
  recordId: null | string;
  /** When `stratum import` read the row. */
  receivedAt: EpochMillis;
  /** Given (first) name after hygiene (@stratum/matching): titles and suffixes removed, whitespace collapsed, display case (O'Brien, McDonald). */
  givenName: null | string;
  /** Middle name(s) after hygiene, display case. */
  middleName: null | string;
  /** Family (last) name after hygiene, display case; particles kept (van Beethoven). */
  familyName: null | string;
  /** Canonical e-mail address (trimmed, lower-cased, as ingest canonicalises it); null when missing or not an address. */
  email: null | string;
  /** Phone number in E.164 (e.g. +61412345678), through the same canonicalPhone as ingest; null when missing or not a valid number (national numbers are read in the import's --region). */
  phone: null | string;
  /** Date of birth as YYYY-MM-DD; null when missing, ambiguous or not a real, plausible date. */
  dateOfBirth: null | string;
  /** National / social-security id: letters and digits only, upper-cased; null when missing or a placeholder (000000000, n/a). */
  nationalId: null | string;
  /** The tenant's own user id of the person, when the file has one; links the row to live events. */
  userId: null | string;
  /** Street number, split from the street line when the file has it there. */
  streetNumber: null | string;
  /** Street line, normalised: lower case, single-spaced, street types spelled out (st → street), number and unit taken off. */
  addressLine1: null | string;
  /** Second address line (unit, building), normalised (lower case); the unit taken off addressLine1 ("unit 5") when the file has no second line. */
  addressLine2: null | string;
  /** Locality (suburb, town, city), normalised: lower case, single-spaced, abbreviations spelled out. */
  locality: null | string;
  /** Postcode in the country's format (AU: 4 digits, "800" → "0800"); null when it does not fit the format. */
  postcode: null | string;
  /** Region (state, province), lower case with diacritics folded (nsw). */
  region: null | string;
  /** Country: the row's country column (ISO 3166-1 alpha-2 upper-cased; other text as given), else the import's --region; null when neither is known. */
  country: null | string;
  /** JSON object text of the row's unmapped columns (column name to cell text); "{}" when there are none. */
  attributes: string;
}

/** A golden-record snapshot after a change. Keyed by tenantId:profileId on a compacted topic, so the latest snapshot of each live profile is kept; a profile merged away gets a tombstone (null value). */
export interface ProfileChange {
  /** Owning tenant. */
  tenantId: string;
  /** The profile. */
  profileId: string;
  /** Increases with every change of this profile; consumers keep the highest. */
  version: number;
  /** What happened: created, updated (traits, identifiers or consents), merged (absorbed other profiles), unmerged (split by an operator). */
  change: ProfileChangeKind;
  /** The golden record's traits, as JSON object text. */
  traits: string;
  /** Provenance of each trait's surviving value. */
  traitSources: Array<TraitSource>;
  /** Every identifier linked to the profile. */
  identifiers: Array<Identifier>;
  /** Current consent per purpose. */
  consents: Array<ConsentState>;
  /** On a do-not-contact list. */
  doNotContact: boolean;
  /** For merged: the profiles merged into this one (now tombstoned). */
  absorbedProfileIds: Array<string>;
  /** For unmerged: the profile this one was split from. */
  splitFromProfileId: null | string;
  /** messageId of the event, or auditId of the operator action, that caused the change. */
  causedBy: null | string;
  /** Time of the earliest event on the profile. */
  firstSeenAt: EpochMillis;
  /** Time of the latest event on the profile. */
  lastSeenAt: EpochMillis;
  /** When the change was made. */
  changedAt: EpochMillis;
}

export type ProfileChangeKind = 'created' | 'updated' | 'merged' | 'unmerged';

/** Why the decision was made. */
export interface Provenance {
  /** Event that triggered it; null for operator actions. */
  messageId: null | string;
  /** Source of that event. */
  sourceId: null | string;
  /** Event time of that event. */
  eventTimestamp: null | EpochMillis;
  /** Rule that decided, e.g. exact:user_id, exact:email, alias, fuzzy:fellegi_sunter, manual. */
  rule: string;
  /** Match score for fuzzy rules. */
  score: null | number;
  /** Confidence tier of the match. */
  tier: null | MatchTier;
  /** Fields that agreed in a fuzzy match (e.g. last_name, dob, postcode). */
  agreedFields: Array<string>;
  /** Operator who acted, for manual actions. */
  actor: null | string;
  /** Reason code for review/reject, e.g. blocked_value, limit_user_id, anomaly_guard. */
  reason: null | string;
}

export interface QuarantineReason {
  /** Stable machine code, e.g. undecodable, unknown_type, missing_identity, invalid_timestamp, tracking_plan_violation, unknown_source. */
  code: string;
  /** JSON path of the offending field, when there is one. */
  path: null | string;
  /** What was wrong, for people. */
  message: string;
}

/** An event as a source sent it: the Segment tracking-API envelope plus what the edge stamps. Not validated yet: ingest checks it and quarantines what is wrong into events.invalid. */
export interface RawEvent {
  /** Owning tenant. The gateway sets it from the write key and ignores any value the client sent. */
  tenantId: string;
  /** The source (write key) the event came through. */
  sourceId: string;
  /** http (gateway), kafka (published straight to events.raw), import (bulk file import), replay (operator replay). */
  channel: IngestionChannel;
  /** Unique per event within a tenant: the dedup key. The gateway assigns a UUID when the client sent none; Kafka producers must set it. */
  messageId: string;
  /** Segment call type: track, identify, page, screen, group or alias. A plain string here so a wrong value is quarantined by ingest with a reason, not lost in the decoder. */
  type: string;
  /** When Stratum received the event (gateway clock; Kafka producers: their produce time), epoch milliseconds UTC. */
  receivedAt: EpochMillis;
  /** ISO-8601 time the client sent it, as sent. With originalTimestamp it corrects client clock skew. */
  sentAt: null | string;
  /** ISO-8601 event time, as sent (Segment's timestamp; may be historical for /v1/import). */
  timestamp: null | string;
  /** ISO-8601 event time on the client's clock, as sent. */
  originalTimestamp: null | string;
  /** The caller's stable id for the user, as sent. */
  userId: null | string;
  /** Device/browser id assigned before the user is known, as sent. */
  anonymousId: null | string;
  /** track: the event name (e.g. Order Completed). */
  event: null | string;
  /** page/screen: the page or screen name. */
  name: null | string;
  /** group: the account/company id. */
  groupId: null | string;
  /** alias: the earlier userId or anonymousId being linked to userId. */
  previousId: null | string;
  /** track/page/screen properties, as JSON object text (UTF-8). Null when the client sent none. */
  properties: null | string;
  /** identify/group traits, as JSON object text (UTF-8). Null when the client sent none. */
  traits: null | string;
  /** Segment context (ip, library, page, device, locale, campaign, ...), as JSON object text (UTF-8). Null when the client sent none. */
  context: null | string;
  /** Per-destination on/off switches, as JSON object text (UTF-8). Null when the client sent none. */
  integrations: null | string;
  /** Semver of the event's tracking-plan schema as the source declared it; null means the source's default. */
  schemaVersion: null | string;
  /** Gateway request id, for correlating logs and `stratum trace`. */
  requestId: null | string;
}

/** Where a Kafka record was read from. */
export interface RecordOrigin {
  /** Topic the record was read from. */
  topic: string;
  /** Partition. */
  partition: number;
  /** Offset. */
  offset: number;
  /** The record's Kafka timestamp. */
  timestamp: EpochMillis;
}

/** A unique event resolved to exactly one golden-record profile, with what delivery needs to know about that profile (identifiers, traits, consents) so it never reads identity tables. */
export interface ResolvedEvent {
  /** Owning tenant. */
  tenantId: string;
  /** The source the event came through. */
  sourceId: string;
  /** How the event entered Stratum. */
  channel: IngestionChannel;
  /** Unique per event within a tenant: the dedup key. */
  messageId: string;
  /** Segment call type. */
  type: EventType;
  /** Event time, UTC epoch ms, corrected for client clock skew as Segment does: receivedAt - (sentAt - originalTimestamp) when both were sent, else the client's timestamp, else receivedAt. */
  timestamp: EpochMillis;
  /** Event time on the client's clock, as sent, parsed. */
  originalTimestamp: null | EpochMillis;
  /** When the client sent it, parsed. */
  sentAt: null | EpochMillis;
  /** When Stratum received it. */
  receivedAt: EpochMillis;
  /** The caller's stable id for the user, as sent. */
  userId: null | string;
  /** Device/browser id assigned before the user is known, as sent. */
  anonymousId: null | string;
  /** track: the event name (e.g. Order Completed). */
  event: null | string;
  /** page/screen: the page or screen name. */
  name: null | string;
  /** group: the account/company id. */
  groupId: null | string;
  /** alias: the earlier userId or anonymousId being linked to userId. */
  previousId: null | string;
  /** track/page/screen properties, as JSON object text (UTF-8). Always an object; "{}" when the client sent none. */
  properties: string;
  /** identify/group traits, as JSON object text (UTF-8). Always an object; "{}" when the client sent none. */
  traits: string;
  /** Segment context (ip, library, page, device, locale, campaign, ...), as JSON object text (UTF-8). Always an object; "{}" when the client sent none. */
  context: string;
  /** Per-destination on/off switches, as JSON object text (UTF-8). Always an object; "{}" when the client sent none. */
  integrations: string;
  /** Every identifier found in the event, normalised and hashed, in a stable order (userId, anonymousId, traits, context, previousId). */
  identifiers: Array<Identifier>;
  /** Semver of the tracking-plan schema the event was validated against. */
  schemaVersion: string;
  /** Gateway request id, for correlation. */
  requestId: null | string;
  /** When ingest accepted it. */
  validatedAt: EpochMillis;
  /** When dedup let it through. */
  dedupedAt: EpochMillis;
  /** The golden-record profile this event belongs to, after any merge it caused. */
  profileId: string;
  /** The profile's canonical identifiers after this event. */
  canonical: CanonicalIdentity;
  /** Profiles this event merged into profileId; empty when it merged none. */
  mergedProfileIds: Array<string>;
  /** The golden record's traits after this event (survivorship applied), as JSON object text. */
  profileTraits: string;
  /** The profile's consents per purpose when the event was resolved. */
  consents: Array<ConsentState>;
  /** The profile is on a do-not-contact list: no outbound messages. */
  doNotContact: boolean;
  /** When identity resolution finished with it. */
  resolvedAt: EpochMillis;
}

/** Where the surviving value of one trait came from (survivorship provenance). */
export interface TraitSource {
  /** Trait name (top-level key of traits). */
  trait: string;
  /** Source that supplied the value. */
  sourceId: null | string;
  /** Event that supplied the value. */
  messageId: null | string;
  /** Event time of that value: a later event wins, a late-arriving older one does not overwrite it. */
  eventTimestamp: EpochMillis;
}

/** A valid event seen for the first time within the dedup window: every later copy of (tenantId, messageId) was dropped. */
export interface UniqueEvent {
  /** Owning tenant. */
  tenantId: string;
  /** The source the event came through. */
  sourceId: string;
  /** How the event entered Stratum. */
  channel: IngestionChannel;
  /** Unique per event within a tenant: the dedup key. */
  messageId: string;
  /** Segment call type. */
  type: EventType;
  /** Event time, UTC epoch ms, corrected for client clock skew as Segment does: receivedAt - (sentAt - originalTimestamp) when both were sent, else the client's timestamp, else receivedAt. */
  timestamp: EpochMillis;
  /** Event time on the client's clock, as sent, parsed. */
  originalTimestamp: null | EpochMillis;
  /** When the client sent it, parsed. */
  sentAt: null | EpochMillis;
  /** When Stratum received it. */
  receivedAt: EpochMillis;
  /** The caller's stable id for the user, as sent. */
  userId: null | string;
  /** Device/browser id assigned before the user is known, as sent. */
  anonymousId: null | string;
  /** track: the event name (e.g. Order Completed). */
  event: null | string;
  /** page/screen: the page or screen name. */
  name: null | string;
  /** group: the account/company id. */
  groupId: null | string;
  /** alias: the earlier userId or anonymousId being linked to userId. */
  previousId: null | string;
  /** track/page/screen properties, as JSON object text (UTF-8). Always an object; "{}" when the client sent none. */
  properties: string;
  /** identify/group traits, as JSON object text (UTF-8). Always an object; "{}" when the client sent none. */
  traits: string;
  /** Segment context (ip, library, page, device, locale, campaign, ...), as JSON object text (UTF-8). Always an object; "{}" when the client sent none. */
  context: string;
  /** Per-destination on/off switches, as JSON object text (UTF-8). Always an object; "{}" when the client sent none. */
  integrations: string;
  /** Every identifier found in the event, normalised and hashed, in a stable order (userId, anonymousId, traits, context, previousId). */
  identifiers: Array<Identifier>;
  /** Semver of the tracking-plan schema the event was validated against. */
  schemaVersion: string;
  /** Gateway request id, for correlation. */
  requestId: null | string;
  /** When ingest accepted it. */
  validatedAt: EpochMillis;
  /** When dedup let it through. */
  dedupedAt: EpochMillis;
}

/** An event that passed ingest: schema and tracking plan checked, timestamps in UTC, identifiers normalised (canonical email, E.164 phone) and hashed. */
export interface ValidEvent {
  /** Owning tenant. */
  tenantId: string;
  /** The source the event came through. */
  sourceId: string;
  /** How the event entered Stratum. */
  channel: IngestionChannel;
  /** Unique per event within a tenant: the dedup key. */
  messageId: string;
  /** Segment call type. */
  type: EventType;
  /** Event time, UTC epoch ms, corrected for client clock skew as Segment does: receivedAt - (sentAt - originalTimestamp) when both were sent, else the client's timestamp, else receivedAt. */
  timestamp: EpochMillis;
  /** Event time on the client's clock, as sent, parsed. */
  originalTimestamp: null | EpochMillis;
  /** When the client sent it, parsed. */
  sentAt: null | EpochMillis;
  /** When Stratum received it. */
  receivedAt: EpochMillis;
  /** The caller's stable id for the user, as sent. */
  userId: null | string;
  /** Device/browser id assigned before the user is known, as sent. */
  anonymousId: null | string;
  /** track: the event name (e.g. Order Completed). */
  event: null | string;
  /** page/screen: the page or screen name. */
  name: null | string;
  /** group: the account/company id. */
  groupId: null | string;
  /** alias: the earlier userId or anonymousId being linked to userId. */
  previousId: null | string;
  /** track/page/screen properties, as JSON object text (UTF-8). Always an object; "{}" when the client sent none. */
  properties: string;
  /** identify/group traits, as JSON object text (UTF-8). Always an object; "{}" when the client sent none. */
  traits: string;
  /** Segment context (ip, library, page, device, locale, campaign, ...), as JSON object text (UTF-8). Always an object; "{}" when the client sent none. */
  context: string;
  /** Per-destination on/off switches, as JSON object text (UTF-8). Always an object; "{}" when the client sent none. */
  integrations: string;
  /** Every identifier found in the event, normalised and hashed, in a stable order (userId, anonymousId, traits, context, previousId). */
  identifiers: Array<Identifier>;
  /** Semver of the tracking-plan schema the event was validated against. */
  schemaVersion: string;
  /** Gateway request id, for correlation. */
  requestId: null | string;
  /** When ingest accepted it. */
  validatedAt: EpochMillis;
}
