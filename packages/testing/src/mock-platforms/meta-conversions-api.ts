/**
 * Mock of Meta's Conversions API.
 *
 *   POST /{api_version}/{pixel_id}/events[?access_token=…]
 *   body (JSON)  { "data": [ServerEvent…], "test_event_code"?, "access_token"? }
 *   body (form)  data=<JSON array>&access_token=…&test_event_code=…
 *   200 { "events_received": n, "messages": [], "fbtrace_id" }
 *   400 Meta's error body (meta-errors.ts); the whole batch fails on the first bad event.
 *
 * Deduplication as Meta does it: an event whose (event_name, event_id) arrived within 48 hours is
 * received (it counts in events_received) but recorded as a duplicate, not as a new event.
 */
import type { AnsweredFault } from './faults';
import { DedupWindow } from './dedup-window';
import { metaErrorBody, missingParameter, newFbtraceId } from './meta-errors';
import type { MetaProblem } from './meta-errors';
import { metaEventProblem } from './meta-event-rules';
import { MockPlatform } from './mock-platform';
import type { MockPlatformOptions } from './mock-platform';
import type { PlatformResponse } from './mock-server';
import type { RecordedRequest } from './recording';
import { firstValues, isFormEncoded, parseForm, parseJsonObject } from './request-body';
import type { JsonObject, Parsed } from './request-body';

/** Options of MockMetaConversionsApi. */
export interface MockMetaConversionsApiOptions extends MockPlatformOptions {
  /** The only access token accepted (default `meta-test-access-token`). */
  accessToken?: string;
  /** When set, any other pixel id is "an object that does not exist" (100/33); by default any numeric id works. */
  pixelId?: string;
}

/** A server event as Meta received it (fields beyond these are kept as sent). */
export interface MetaServerEvent {
  event_name: string;
  event_time: number;
  action_source: string;
  user_data: Record<string, unknown>;
  event_id?: string;
  event_source_url?: string;
  custom_data?: Record<string, unknown>;
  [field: string]: unknown;
}

/** One event Meta counted, with where it was sent. */
export interface MetaRecordedEvent {
  pixelId: string;
  /** Set when the request carried a test_event_code (Meta shows these in Test Events only). */
  testEventCode?: string;
  event: MetaServerEvent;
}

const EVENTS_PATH = /^\/(v\d+\.\d+)\/(\d+)\/events\/?$/;
const MAX_EVENTS_PER_REQUEST = 1000;
const DEDUP_WINDOW_MS = 48 * 60 * 60 * 1000;

/** A local Meta Conversions API that validates like Meta and can be made to fail. */
export class MockMetaConversionsApi extends MockPlatform<MetaRecordedEvent> {
  readonly accessToken: string;
  readonly pixelId: string | undefined;
  private readonly dedup: DedupWindow;

  constructor(options: MockMetaConversionsApiOptions = {}) {
    super('Meta Conversions API mock', options);
    this.accessToken = options.accessToken ?? 'meta-test-access-token';
    this.pixelId = options.pixelId;
    this.dedup = new DedupWindow(DEDUP_WINDOW_MS, this.clock);
  }

  /** The events endpoint of a pixel on this mock, e.g. `http://127.0.0.1:4321/v21.0/123/events`. */
  eventsUrl(pixelId = this.pixelId ?? '1234567890', apiVersion = 'v21.0'): string {
    return `${this.url}/${apiVersion}/${pixelId}/events`;
  }

  protected handle(request: RecordedRequest): PlatformResponse {
    const route = EVENTS_PATH.exec(request.path);
    if (route === null || request.method !== 'POST') {
      return this.fail(request, { reason: 'unknown_path', code: 2500, message: `Unknown path components: ${request.path}` });
    }
    const pixelId = route[2] ?? '';
    const body = parseMetaBody(request);
    const token = request.query.access_token ?? (body.ok && typeof body.value.access_token === 'string' ? body.value.access_token : undefined);
    if (token === undefined || token === '') {
      return this.fail(request, { reason: 'missing_access_token', code: 104, message: 'An access token is required to request this resource.' });
    }
    if (token !== this.accessToken) {
      return this.fail(request, { reason: 'invalid_access_token', code: 190, message: 'Invalid OAuth access token - Cannot parse access token' });
    }
    if (this.pixelId !== undefined && pixelId !== this.pixelId) {
      return this.fail(request, {
        reason: 'unknown_pixel',
        code: 100,
        subcode: 33,
        type: 'GraphMethodException',
        message: `Unsupported post request. Object with ID '${pixelId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
      });
    }
    if (!body.ok) return this.fail(request, { reason: 'malformed_body', code: 100, message: 'Invalid parameter', userTitle: 'Malformed request', userMsg: body.problem });
    return this.receive(request, pixelId, body.value);
  }

  protected faultResponse(fault: AnsweredFault): PlatformResponse {
    const problem: MetaProblem =
      fault.kind === 'rate_limited'
        ? { reason: 'rate_limited', code: 4, message: '(#4) Application request limit reached' }
        : { reason: 'server_error', code: 2, message: 'An unexpected error has occurred. Please retry your request later.' };
    return { status: fault.kind === 'rate_limited' ? 429 : fault.status, body: metaErrorBody(problem, true) };
  }

  private receive(request: RecordedRequest, pixelId: string, body: JsonObject): PlatformResponse {
    const data = typeof body.data === 'string' ? parseJsonArray(body.data) : body.data;
    if (!Array.isArray(data) || data.length === 0) return this.fail(request, missingParameter('missing_data', 'data'));
    if (data.length > MAX_EVENTS_PER_REQUEST) {
      return this.fail(request, {
        reason: 'too_many_events',
        code: 100,
        message: 'Invalid parameter',
        userTitle: 'Too many events',
        userMsg: `A request can carry at most ${MAX_EVENTS_PER_REQUEST} events; this one has ${data.length}.`,
      });
    }
    const nowSeconds = Math.floor(this.clock() / 1000);
    for (const [index, event] of data.entries()) {
      const problem = metaEventProblem(event, index, nowSeconds);
      if (problem !== undefined) return this.fail(request, problem);
    }
    const testEventCode = typeof body.test_event_code === 'string' ? body.test_event_code : undefined;
    this.recording.accept(request);
    for (const event of data as MetaServerEvent[]) {
      const recorded: MetaRecordedEvent = { pixelId, event, ...(testEventCode === undefined ? {} : { testEventCode }) };
      const isRepeat = typeof event.event_id === 'string' && !this.dedup.firstSeen(`${pixelId}\u0000${event.event_name}\u0000${event.event_id}`);
      if (isRepeat) this.recording.repeat(recorded);
      else this.recording.keep(recorded);
    }
    return { status: 200, body: { events_received: data.length, messages: [], fbtrace_id: newFbtraceId() } };
  }

  private fail(request: RecordedRequest, problem: MetaProblem): PlatformResponse {
    const response = { status: 400, body: metaErrorBody(problem) };
    return this.refuse(request, response, problem.reason, problem.userMsg ?? problem.message);
  }
}

/** Graph takes JSON bodies and form bodies whose `data` is a JSON string. */
function parseMetaBody(request: RecordedRequest): Parsed<JsonObject> {
  if (isFormEncoded(request.headers)) return { ok: true, value: firstValues(parseForm(request.body)) };
  if (request.body.trim() === '') return { ok: true, value: {} };
  return parseJsonObject(request.body);
}

function parseJsonArray(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
