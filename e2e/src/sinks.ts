/**
 * The run's destinations: local mock platforms that validate like the real APIs and deduplicate by
 * the platform's idempotency key (webhook-id, Meta's event_id), each stored as a destination of the
 * run's tenant. A sink knows which events it should get — the same rules the tenant configured —
 * so the checks compare what arrived with what should have.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '@stratum/db';
import { createDestination, type CreateDestinationInput, type CredentialKeyring } from '@stratum/destinations';
import { MockMetaConversionsApi, MockWebhookReceiver, type MetaRecordedEvent } from '@stratum/testing';
import type { PlannedCall, User } from './traffic';

/** Whether an event must arrive exactly once, may arrive at most once, or must never arrive. */
export type Expectation = 'exactly_once' | 'at_most_once' | 'never';

export interface DeliveredEvent {
  readonly messageId: string;
  /** The profile the event was delivered with (webhooks only). */
  readonly profileId: string | null;
  /** When the platform received it, epoch ms (webhooks: the request's arrival; Meta: event_time). */
  readonly receivedAt: number;
  /** When the gateway received the event, epoch ms (webhooks only: the payload says). */
  readonly gatewayReceivedAt: number | null;
}

export interface Sink {
  readonly name: string;
  readonly destinationId: string;
  readonly mock: MockWebhookReceiver | MockMetaConversionsApi;
  /** Events the platform counted (after its own deduplication by idempotency key). */
  delivered(): DeliveredEvent[];
  /** Sends the platform recognised as repeats of an idempotency key and did not count again. */
  resent(): number;
  expectation(call: PlannedCall, user: User): Expectation;
}

const WEBHOOK_SECRET = `whsec_${Buffer.alloc(32, 11).toString('base64')}`;
const PIXEL_ID = '5550001112223';

interface SinkSpec {
  readonly name: SinkName;
  readonly destination: Omit<CreateDestinationInput, 'name'>;
  expectation(call: PlannedCall, user: User): Expectation;
}

function webhookSink(mock: MockWebhookReceiver, name: string, destinationId: string, spec: SinkSpec): Sink {
  const seen = new Map<string, DeliveredEvent>();
  let parsed = 0;
  return {
    name,
    destinationId,
    mock,
    // The first accepted request per webhook-id is the one the platform counted.
    // Requests are parsed once, as they come: the drain polls this every half second.
    delivered: () => {
      const accepted = mock.recording.accepted;
      for (; parsed < accepted.length; parsed++) {
        const request = accepted[parsed]!;
        const id = String(request.headers['webhook-id']);
        if (seen.has(id)) continue;
        const data = (JSON.parse(request.body) as { data: { messageId: string; receivedAt: string; profile: { id: string } } }).data;
        seen.set(id, { messageId: data.messageId, profileId: data.profile.id, receivedAt: request.receivedAt, gatewayReceivedAt: Date.parse(data.receivedAt) });
      }
      return [...seen.values()];
    },
    resent: () => mock.recording.duplicates.length,
    expectation: spec.expectation,
  };
}

/**
 * Starts the mocks and creates their destinations:
 * - `all`: every event;
 * - `flaky`: every event, and it fails for a while (the test decides when);
 * - `marketing`: only profiles that granted `marketing` (consent is set after the identify phase,
 *   so the identify calls and device B's anonymous calls may or may not qualify: at most once);
 * - `meta`: Meta Conversions API, `Order Completed` only (a batched, non-webhook adapter).
 */
export const SINK_NAMES = ['all', 'flaky', 'marketing', 'meta'] as const;
export type SinkName = (typeof SINK_NAMES)[number];

export async function startSinks(db: Db, keyring: CredentialKeyring, tenantId: string, only: readonly SinkName[] = SINK_NAMES): Promise<Sink[]> {
  // Before consent is recorded (the identify phase) or before the device is linked (anonymous
  // calls), whether the profile had consent at delivery time depends on timing.
  const timingDependent = (call: PlannedCall) => call.userId === undefined || call.phase === 'identify';
  const specs: SinkSpec[] = [
    { name: 'all', destination: { type: 'webhook' }, expectation: () => 'exactly_once' },
    { name: 'flaky', destination: { type: 'webhook', deliveryPolicy: { maxAttempts: 40, maxAgeSeconds: 3600 } }, expectation: () => 'exactly_once' },
    {
      name: 'marketing',
      destination: { type: 'webhook', filters: { consentPurpose: 'marketing' } },
      expectation: (call, user) => (!user.marketingConsent ? 'never' : timingDependent(call) ? 'at_most_once' : 'exactly_once'),
    },
    { name: 'meta', destination: { type: 'meta_capi', filters: { events: ['Order Completed'] } }, expectation: (call) => (call.event === 'Order Completed' ? 'exactly_once' : 'never') },
  ];
  const sinks: Sink[] = [];
  for (const spec of specs.filter((s) => (only as readonly string[]).includes(s.name))) {
    const name = `${spec.name}-${randomBytes(2).toString('hex')}`;
    if (spec.destination.type === 'meta_capi') {
      const mock = new MockMetaConversionsApi({ pixelId: PIXEL_ID });
      await mock.start();
      const created = await createDestination(db, keyring, tenantId, {
        name,
        ...spec.destination,
        settings: { pixelId: PIXEL_ID, baseUrl: mock.url, actionSource: 'system_generated' },
        credentials: { accessToken: mock.accessToken },
      });
      sinks.push({
        name: spec.name,
        destinationId: created.destinationId,
        mock,
        delivered: () => mock.recording.events.map((e: MetaRecordedEvent) => ({ messageId: e.event.event_id ?? '', profileId: null, receivedAt: e.event.event_time * 1000, gatewayReceivedAt: null })),
        resent: () => mock.recording.duplicates.length,
        expectation: spec.expectation,
      });
    } else {
      const mock = new MockWebhookReceiver({ secret: WEBHOOK_SECRET });
      await mock.start();
      const created = await createDestination(db, keyring, tenantId, { name, ...spec.destination, settings: { url: `${mock.url}/hook` }, credentials: { secrets: [WEBHOOK_SECRET] } });
      sinks.push(webhookSink(mock, spec.name, created.destinationId, spec));
    }
  }
  return sinks;
}

export async function stopSinks(sinks: readonly Sink[]): Promise<void> {
  await Promise.all(sinks.map((s) => s.mock.stop()));
}
