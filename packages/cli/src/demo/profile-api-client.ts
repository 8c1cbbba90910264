/** The profile API (docs/profile-api.md) with the tenant's admin key: profiles, consents, destinations. */
import { DemoError, isObject, notRunning, okJson, requestJson } from './http';

export interface ProfileView {
  readonly id: string;
  readonly identifiers: ReadonlyArray<{ readonly type: string; readonly value: string | null }>;
  readonly consents: ReadonlyArray<{ readonly purpose: string; readonly status: string }>;
  readonly mergedProfileIds: readonly string[];
  readonly traits: Readonly<Record<string, unknown>>;
}

export interface DestinationView {
  readonly destinationId: string;
  readonly name: string;
  readonly type: string;
  readonly enabled: boolean;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly filters: { readonly consentPurpose?: string };
}

export interface ProfileApiClient {
  check(): Promise<void>;
  /** The profile holding `user_id:<userId>`, or null while nobody does. */
  findByUserId(userId: string): Promise<ProfileView | null>;
  putConsent(profileId: string, purpose: string, status: 'granted' | 'withdrawn', evidence: Record<string, unknown>): Promise<void>;
  /** How many timeline events the profile has (at most 500). */
  eventCount(profileId: string): Promise<number>;
  destinations(): Promise<DestinationView[]>;
}

const WHAT = 'the profile API';
const HINT = notRunning('--profile-api-url');

export function profileApiClient(baseUrl: string, adminKey: string): ProfileApiClient {
  const headers = { authorization: `Bearer ${adminKey}` };
  const get = (path: string) => okJson(WHAT, `${baseUrl}${path}`, { headers }, HINT);
  return {
    async check() {
      await okJson(WHAT, `${baseUrl}/healthz`, {}, HINT);
      const probe = await requestJson(WHAT, `${baseUrl}/v1/destinations`, { headers }, HINT);
      if (probe.status === 401) throw new DemoError('the profile API refuses the admin key: was ./data/demo-tenant.json written by this platform? Pass --data-dir or --admin-key.');
    },
    async findByUserId(userId) {
      const body = await get(`/v1/profiles?identifier=${encodeURIComponent(`user_id:${userId}`)}`);
      const list = isObject(body) && Array.isArray(body.profiles) ? body.profiles : [];
      return (list[0] as ProfileView | undefined) ?? null;
    },
    async putConsent(profileId, purpose, status, evidence) {
      await okJson(WHAT, `${baseUrl}/v1/profiles/${encodeURIComponent(profileId)}/consents`, {
        method: 'PUT',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ consents: [{ purpose, status, evidence }] }),
      }, HINT);
    },
    async eventCount(profileId) {
      const body = await get(`/v1/profiles/${encodeURIComponent(profileId)}/events?limit=500`);
      return isObject(body) && Array.isArray(body.events) ? body.events.length : 0;
    },
    async destinations() {
      const body = await get('/v1/destinations');
      return isObject(body) && Array.isArray(body.destinations) ? (body.destinations as DestinationView[]) : [];
    },
  };
}
