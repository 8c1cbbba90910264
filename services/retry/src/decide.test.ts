/** The decision per record: each rule, and the order in which they apply. */
import { DEFAULT_DELIVERY_POLICY, type CurrentProfile } from '@stratum/delivery';
import type { DeliveryPolicy, DestinationSummary, DestinationType } from '@stratum/destinations';
import { exampleRecords, type DeliveryAttempt } from '@stratum/schemas';
import { consentGrantedNow } from '@stratum/delivery';
import { decide, MAX_WAIT_MS, type DecisionContext } from './decide';

const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);
const HOUR = 3_600_000;

const attempt = (over: Partial<DeliveryAttempt> = {}): DeliveryAttempt => ({
  ...exampleRecords['delivery.attempts'],
  attempt: 3,
  notBefore: NOW - 10,
  firstAttemptAt: NOW - HOUR,
  ...over,
});

function destination(type: DestinationType, over: { enabled?: boolean; consentPurpose?: string; deliveryPolicy?: DeliveryPolicy | null } = {}): DestinationSummary {
  return {
    tenantId: 'ten_1',
    destinationId: 'dst_1',
    name: type,
    type,
    enabled: over.enabled ?? true,
    settings: {},
    filters: over.consentPurpose === undefined ? {} : { consentPurpose: over.consentPurpose },
    deliveryPolicy: over.deliveryPolicy ?? null,
    hasCredentials: false,
    credentialsKeyId: null,
    createdAt: '2026-11-01T00:00:00.000Z',
    updatedAt: '2026-11-01T00:00:00.000Z',
    disabledAt: null,
  };
}

const profile = (consents: Record<string, boolean>, over: Partial<CurrentProfile> = {}): CurrentProfile => ({
  profileId: 'prof_1',
  survivorId: 'prof_1',
  doNotContact: false,
  consents: new Map(Object.entries(consents)),
  ...over,
});

const ctx = (d: DestinationSummary | null, p?: CurrentProfile, now = NOW): DecisionContext => ({ destination: d, profile: p, now, defaults: DEFAULT_DELIVERY_POLICY });

describe('not due', () => {
  it('waits until notBefore, at most 30 s at a time, before looking at anything else', () => {
    expect(decide(attempt({ notBefore: NOW + 300 }), ctx(null))).toEqual({ kind: 'wait', afterMs: 300 });
    expect(decide(attempt({ notBefore: NOW + HOUR }), ctx(destination('webhook')))).toEqual({ kind: 'wait', afterMs: MAX_WAIT_MS });
  });

  it('is due at notBefore exactly', () => {
    expect(decide(attempt({ notBefore: NOW }), ctx(destination('webhook')))).toEqual({ kind: 'forward', reason: 'due' });
  });
});

describe('the destination', () => {
  it('skips a record whose destination was deleted or disabled', () => {
    expect(decide(attempt(), ctx(null))).toEqual({ kind: 'skip', reason: 'destination_disabled' });
    expect(decide(attempt(), ctx(destination('webhook', { enabled: false })))).toEqual({ kind: 'skip', reason: 'destination_disabled' });
  });
});

describe('consent', () => {
  const meta = destination('meta_capi', { consentPurpose: 'advertising' });

  it('forwards while the purpose is granted now', () => {
    expect(decide(attempt(), ctx(meta, profile({ advertising: true })))).toEqual({ kind: 'forward', reason: 'due' });
  });

  it('skips once the purpose is denied or was never recorded, whatever the event said when resolved', () => {
    const grantedAtResolution = attempt({ event: { ...exampleRecords['delivery.attempts'].event, consents: [{ purpose: 'advertising', granted: true, updatedAt: NOW - HOUR }] } });
    expect(decide(grantedAtResolution, ctx(meta, profile({ advertising: false })))).toEqual({ kind: 'skip', reason: 'consent_revoked' });
    expect(decide(grantedAtResolution, ctx(meta, profile({ marketing: true })))).toEqual({ kind: 'skip', reason: 'consent_revoked' });
  });

  it("falls back to the event's snapshot only for a profile this database does not know, as the adapter does", () => {
    const unknown = profile({}, { survivorId: null });
    const withSnapshot = (granted: boolean) => attempt({ event: { ...exampleRecords['delivery.attempts'].event, consents: [{ purpose: 'advertising', granted, updatedAt: NOW }] } });
    expect(consentGrantedNow('advertising', withSnapshot(true).event, unknown)).toBe(true);
    expect(consentGrantedNow('advertising', withSnapshot(false).event, unknown)).toBe(false);
    expect(consentGrantedNow('advertising', withSnapshot(true).event, profile({ advertising: false }))).toBe(false);
  });

  it('ignores consent for a destination that asks for none', () => {
    expect(decide(attempt(), ctx(destination('webhook'), profile({ advertising: false })))).toEqual({ kind: 'forward', reason: 'due' });
  });
});

describe('do-not-contact', () => {
  it('skips SMS to a profile on a do-not-contact list, and only SMS', () => {
    const dnc = profile({}, { doNotContact: true });
    expect(decide(attempt(), ctx(destination('twilio_sms'), dnc))).toEqual({ kind: 'skip', reason: 'do_not_contact' });
    expect(decide(attempt(), ctx(destination('webhook'), dnc))).toEqual({ kind: 'forward', reason: 'due' });
    expect(decide(attempt(), ctx(destination('twilio_sms'), profile({})))).toEqual({ kind: 'forward', reason: 'due' });
  });

  it('reports consent before do-not-contact when both apply', () => {
    const both = profile({ sms: false }, { doNotContact: true });
    expect(decide(attempt(), ctx(destination('twilio_sms', { consentPurpose: 'sms' }), both))).toEqual({ kind: 'skip', reason: 'consent_revoked' });
  });
});

describe('max age', () => {
  const old = attempt({ firstAttemptAt: NOW - 5 * HOUR });

  it("dead-letters a record older than the policy's max age (the default: 4 hours)", () => {
    expect(decide(old, ctx(destination('webhook')))).toEqual({ kind: 'dead_letter', reason: 'max_age_exceeded' });
    expect(decide(attempt({ firstAttemptAt: NOW - 4 * HOUR }), ctx(destination('webhook')))).toEqual({ kind: 'forward', reason: 'due' });
  });

  it("uses the destination's own max age", () => {
    expect(decide(old, ctx(destination('webhook', { deliveryPolicy: { maxAgeSeconds: 6 * 3600 } })))).toEqual({ kind: 'forward', reason: 'due' });
    expect(decide(attempt(), ctx(destination('webhook', { deliveryPolicy: { maxAgeSeconds: 1800 } })))).toEqual({ kind: 'dead_letter', reason: 'max_age_exceeded' });
  });

  it('forwards it instead for a destination that keeps per-key order, whose adapter must release the key', () => {
    expect(decide(old, ctx(destination('pipedrive')))).toEqual({ kind: 'forward', reason: 'ordered_past_max_age' });
    expect(decide(old, ctx(destination('webhook', { deliveryPolicy: { ordering: 'per_key' } })))).toEqual({ kind: 'forward', reason: 'ordered_past_max_age' });
    expect(decide(old, ctx(destination('pipedrive', { deliveryPolicy: { ordering: 'none' } })))).toEqual({ kind: 'dead_letter', reason: 'max_age_exceeded' });
  });

  it('never applies without a first attempt time', () => {
    expect(decide(attempt({ firstAttemptAt: null }), ctx(destination('webhook')))).toEqual({ kind: 'forward', reason: 'due' });
  });

  it('comes after the skips: a revoked consent is a skip, not a dead letter', () => {
    expect(decide(old, ctx(destination('meta_capi', { consentPurpose: 'advertising' }), profile({})))).toEqual({ kind: 'skip', reason: 'consent_revoked' });
  });
});
