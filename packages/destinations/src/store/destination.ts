/**
 * What a destination is: where one tenant's events go (a type of adapter), its non-secret
 * settings, which events it takes, how long delivery may keep trying, and whether it has
 * credentials — which never appear here, only in DestinationWithCredentials for delivery.
 */
import type { Credentials } from '../credentials/destination-credentials';

/** The adapters a destination can use. The migration's CHECK lists the same: adding one is a migration too. */
export const DESTINATION_TYPES = ['webhook', 'meta_capi', 'ga4', 'tiktok', 'twilio_sms', 'pipedrive'] as const;
export type DestinationType = (typeof DESTINATION_TYPES)[number];

/** A JSON object (settings), as parsed from JSON text. */
export type JsonObject = Readonly<Record<string, unknown>>;

/** Which events go to a destination. All absent: every event. */
export interface DestinationFilters {
  /** Only these event names (track) or types (identify, page, screen, group, alias). */
  readonly events?: readonly string[];
  /** Never these names or types, even when `events` is absent. */
  readonly excludeEvents?: readonly string[];
  /** Only events of profiles that granted this consent purpose (e.g. marketing, sms). */
  readonly consentPurpose?: string;
}

/** Limits the retry stage applies to this destination's attempts; absent ones use the stage's defaults. */
export interface DeliveryPolicy {
  /** Give up after this many attempts (1 = no retry). */
  readonly maxAttempts?: number;
  /** Give up on an event this many seconds after its first attempt. */
  readonly maxAgeSeconds?: number;
  /**
   * `per_key`: while one of a profile's events waits for a retry, that profile's later events wait
   * behind it (CRM upserts, where an old update must not overwrite a newer one); other profiles go
   * on. `none`: every event on its own. Default: per_key for pipedrive, none for the rest.
   */
  readonly ordering?: 'per_key' | 'none';
}

/** A destination without its credentials: what lists, the CLI and logs may show. */
export interface DestinationSummary {
  readonly tenantId: string;
  readonly destinationId: string;
  readonly name: string;
  readonly type: DestinationType;
  readonly enabled: boolean;
  readonly settings: JsonObject;
  readonly filters: DestinationFilters;
  /** Null: the retry stage's defaults. */
  readonly deliveryPolicy: DeliveryPolicy | null;
  readonly hasCredentials: boolean;
  /** The key its credentials are encrypted with; null without credentials. */
  readonly credentialsKeyId: string | null;
  /** ISO 8601, UTC. */
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly disabledAt: string | null;
}

/** A destination with its credentials decrypted, for the delivery service only. */
export interface DestinationWithCredentials extends DestinationSummary {
  readonly credentials: Credentials | null;
}

/**
 * The caller's check of type-specific settings (an adapter's parseConfig): the problems found,
 * empty when the settings and credentials suit the type. Exceptions it throws reach the caller.
 */
export type SettingsValidator = (type: DestinationType, settings: JsonObject, credentials: Credentials | null) => readonly string[] | Promise<readonly string[]>;

export interface StoreOptions {
  readonly validateSettings?: SettingsValidator;
}

export interface CreateDestinationInput {
  readonly name: string;
  /** One of DESTINATION_TYPES; other text is refused with unknown_destination_type. */
  readonly type: string;
  readonly settings?: JsonObject;
  readonly filters?: DestinationFilters;
  readonly credentials?: Credentials;
  readonly deliveryPolicy?: DeliveryPolicy | null;
  /** Default true. */
  readonly enabled?: boolean;
}

/** What updateDestination changes; absent fields stay. Settings and filters are replaced whole. */
export interface DestinationUpdate {
  readonly name?: string;
  readonly settings?: JsonObject;
  readonly filters?: DestinationFilters;
  /** New credentials, or null to remove them. */
  readonly credentials?: Credentials | null;
  /** A new policy, or null for the retry stage's defaults. */
  readonly deliveryPolicy?: DeliveryPolicy | null;
}
