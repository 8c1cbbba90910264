/**
 * The demo tenant's destinations, one per mock of the mock destinations console: what
 * `pnpm start --mock-destinations` creates and what `pnpm demo` expects of each. `takes` says
 * which call types the platform's adapter sends at all (the rest it skips as
 * event_type_not_supported; docs/destinations.md); Meta has a consent filter, so the demo's
 * consent change shows.
 */
import { DEMO_CONSENT_PURPOSE, type CallType } from './plan';

export interface DemoDestinationSpec {
  /** The destination's name in the demo tenant. */
  readonly name: string;
  /** The mock console's name for the mock it points at. */
  readonly mock: string;
  readonly type: 'webhook' | 'meta_capi' | 'ga4' | 'tiktok';
  readonly takes: readonly CallType[];
  readonly consentPurpose: string | null;
  /** Whether the platform carries the messageId (as event_id or in the payload); GA4 does not. */
  readonly carriesMessageId: boolean;
}

export const DEMO_DESTINATIONS: readonly DemoDestinationSpec[] = [
  { name: 'demo-webhook', mock: 'webhook', type: 'webhook', takes: ['page', 'track', 'identify'], consentPurpose: null, carriesMessageId: true },
  { name: 'demo-meta', mock: 'meta', type: 'meta_capi', takes: ['page', 'track'], consentPurpose: DEMO_CONSENT_PURPOSE, carriesMessageId: true },
  { name: 'demo-ga4', mock: 'ga4', type: 'ga4', takes: ['page', 'track'], consentPurpose: null, carriesMessageId: false },
  { name: 'demo-tiktok', mock: 'tiktok', type: 'tiktok', takes: ['track'], consentPurpose: null, carriesMessageId: true },
];
