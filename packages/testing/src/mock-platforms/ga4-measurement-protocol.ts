/**
 * Mock of GA4's Measurement Protocol.
 *
 *   POST /mp/collect?measurement_id=G-…&api_secret=…        (web stream; app: firebase_app_id=…)
 *     → 204 always, even for an invalid payload or a wrong secret: GA4 drops such events silently
 *       (its reference: "does not return an error code if the payload data was malformed").
 *   POST /debug/mp/collect?…  → 200 { "validationMessages": [...] }, which does not check api_secret.
 *
 * The recording keeps only the events GA4 would process; `recording.dropped` says which it threw
 * away and why (a validation code, or `invalid_credentials` / `malformed_payload`). GA4 does not
 * deduplicate Measurement Protocol events, so `duplicates` stays empty.
 */
import type { AnsweredFault } from './faults';
import { validateGa4Payload } from './ga4-validation';
import type { Ga4Finding, Ga4StreamKind, Ga4ValidationMessage } from './ga4-validation';
import { MockPlatform } from './mock-platform';
import type { MockPlatformOptions } from './mock-platform';
import type { PlatformResponse } from './mock-server';
import type { RecordedRequest } from './recording';
import { isJsonObject, parseJsonObject } from './request-body';
import type { JsonObject } from './request-body';

/** Options of MockGa4MeasurementProtocol. */
export interface MockGa4MeasurementProtocolOptions extends MockPlatformOptions {
  /** The secret /mp/collect accepts (default `ga4-test-api-secret`). */
  apiSecret?: string;
  /** The web stream's measurement id (default `G-TEST000000`). */
  measurementId?: string;
  /** An app stream's Firebase app id; unset: app-stream requests are dropped as unknown. */
  firebaseAppId?: string;
}

/** One event GA4 would process. */
export interface Ga4RecordedEvent {
  stream: Ga4StreamKind;
  /** client_id (web) or app_instance_id (app). */
  clientId: string;
  userId?: string;
  name: string;
  params: Record<string, unknown>;
  /** The event's own timestamp_micros, else the request's. */
  timestampMicros?: number;
}

/** A local GA4 Measurement Protocol endpoint with GA4's silent drops and its validation server. */
export class MockGa4MeasurementProtocol extends MockPlatform<Ga4RecordedEvent> {
  readonly apiSecret: string;
  readonly measurementId: string;
  readonly firebaseAppId: string | undefined;

  constructor(options: MockGa4MeasurementProtocolOptions = {}) {
    super('GA4 Measurement Protocol mock', options);
    this.apiSecret = options.apiSecret ?? 'ga4-test-api-secret';
    this.measurementId = options.measurementId ?? 'G-TEST000000';
    this.firebaseAppId = options.firebaseAppId;
  }

  /** The collect URL with this mock's credentials, e.g. for a destination's config. */
  collectUrl(debug = false): string {
    const query = new URLSearchParams({ measurement_id: this.measurementId, api_secret: this.apiSecret });
    return `${this.url}${debug ? '/debug' : ''}/mp/collect?${query.toString()}`;
  }

  protected handle(request: RecordedRequest): PlatformResponse {
    if (request.method === 'POST' && request.path === '/mp/collect') return this.collect(request);
    if (request.method === 'POST' && request.path === '/debug/mp/collect') return this.debug(request);
    return this.refuse(request, { status: 404, body: 'Not Found' }, 'unknown_path', `${request.method} ${request.path}`);
  }

  protected faultResponse(fault: AnsweredFault): PlatformResponse {
    return { status: fault.kind === 'rate_limited' ? 429 : fault.status, body: '' };
  }

  private collect(request: RecordedRequest): PlatformResponse {
    this.recording.accept(request);
    const noContent: PlatformResponse = { status: 204 };
    const stream = this.streamOf(request);
    const parsed = parseJsonObject(request.body);
    if (!parsed.ok) {
      this.recording.drop({ request, event: request.body, reason: 'malformed_payload' });
      return noContent;
    }
    const payload = parsed.value;
    const events: unknown[] = Array.isArray(payload.events) ? payload.events : [];
    if (stream === undefined || request.query.api_secret !== this.apiSecret) {
      this.dropAll(request, events, 'invalid_credentials');
      return noContent;
    }
    const findings = validateGa4Payload(payload, stream, this.clock());
    const payloadFinding = findings.find((finding) => finding.eventIndex === undefined);
    if (payloadFinding !== undefined) {
      this.dropAll(request, events.length > 0 ? events : [payload], reasonOf(payloadFinding));
      return noContent;
    }
    events.forEach((event, index) => {
      const finding = findings.find((one) => one.eventIndex === index);
      if (finding !== undefined) this.recording.drop({ request, event, reason: reasonOf(finding) });
      else this.recording.keep(recordedEvent(payload, event as JsonObject, stream));
    });
    return noContent;
  }

  private debug(request: RecordedRequest): PlatformResponse {
    this.recording.accept(request);
    const parsed = parseJsonObject(request.body);
    const messages: Ga4ValidationMessage[] = parsed.ok
      ? validateGa4Payload(parsed.value, this.streamOf(request) ?? 'web', this.clock()).map(({ fieldPath, description, validationCode }) => ({ fieldPath, description, validationCode }))
      : [{ fieldPath: '', description: `Unable to parse Measurement Protocol JSON payload. ${parsed.problem}`, validationCode: 'VALUE_INVALID' }];
    return { status: 200, body: { validationMessages: messages } };
  }

  /** web for this mock's measurement_id, app for its firebase_app_id, undefined for anything else. */
  private streamOf(request: RecordedRequest): Ga4StreamKind | undefined {
    if (request.query.measurement_id !== undefined) return request.query.measurement_id === this.measurementId ? 'web' : undefined;
    if (this.firebaseAppId !== undefined && request.query.firebase_app_id === this.firebaseAppId) return 'app';
    return undefined;
  }

  private dropAll(request: RecordedRequest, events: unknown[], reason: string): void {
    for (const event of events) this.recording.drop({ request, event, reason });
  }
}

function reasonOf(finding: Ga4Finding): string {
  return `${finding.validationCode}:${finding.fieldPath}`;
}

function recordedEvent(payload: JsonObject, event: JsonObject, stream: Ga4StreamKind): Ga4RecordedEvent {
  const clientId = String(stream === 'web' ? payload.client_id : payload.app_instance_id);
  const timestamp = typeof event.timestamp_micros === 'number' ? event.timestamp_micros : payload.timestamp_micros;
  return {
    stream,
    clientId,
    ...(typeof payload.user_id === 'string' ? { userId: payload.user_id } : {}),
    name: String(event.name),
    params: isJsonObject(event.params) ? event.params : {},
    ...(typeof timestamp === 'number' ? { timestampMicros: timestamp } : {}),
  };
}
