/**
 * Mock of TikTok's Events API 2.0.
 *
 *   POST /open_api/v1.3/event/track/      header Access-Token: …
 *   body { "event_source": "web"|"app"|"offline"|"crm", "event_source_id", "test_event_code"?,
 *          "data": [ { "event", "event_time" (Unix seconds), "event_id"?,
 *                      "user": { "email"?, "phone"?, "external_id"? (SHA-256 hex), … },
 *                      "properties"?, "page"? } … ≤ 1000 ] }
 *   → HTTP 200 always, as TikTok's Business API does: { "code": 0, "message": "OK", "request_id", "data": {} }
 *     or a non-zero code: 40105 (access token missing or wrong), 40001 (no permission for this
 *     event_source_id), 40002 (invalid parameters; the whole request is refused).
 *
 * Deduplication: an event whose (event_source_id, event, event_id) arrived within 48 hours is
 * recorded as a duplicate, not counted again.
 */
import { randomBytes } from 'node:crypto';
import { DedupWindow } from './dedup-window';
import type { AnsweredFault } from './faults';
import { firstUnhashed } from './hashed-identifiers';
import { MockPlatform } from './mock-platform';
import type { MockPlatformOptions } from './mock-platform';
import type { PlatformResponse } from './mock-server';
import type { RecordedRequest } from './recording';
import { headerValue, isJsonObject, parseJsonObject } from './request-body';
import type { JsonObject } from './request-body';

/** Options of MockTikTokEventsApi. */
export interface MockTikTokEventsApiOptions extends MockPlatformOptions {
  /** The only Access-Token accepted (default `tiktok-test-access-token`). */
  accessToken?: string;
  /** Pixel / app / offline-set ids the token may write to; unset: any. */
  eventSourceIds?: readonly string[];
}

/** Every event_source TikTok accepts. */
export const TIKTOK_EVENT_SOURCES = ['web', 'app', 'offline', 'crm'] as const;

/** One event TikTok counted. */
export interface TikTokRecordedEvent {
  eventSource: string;
  eventSourceId: string;
  testEventCode?: string;
  event: { event: string; event_time: number; event_id?: string; user?: Record<string, unknown>; properties?: Record<string, unknown>; page?: Record<string, unknown>; [field: string]: unknown };
}

const TRACK_PATH = /^\/open_api\/v1\.3\/event\/track\/?$/;
const MAX_EVENTS_PER_REQUEST = 1000;
const DEDUP_WINDOW_MS = 48 * 60 * 60 * 1000;
/** Events a day ahead are refused: that is what a millisecond event_time looks like. */
const MAX_FUTURE_SECONDS = 24 * 60 * 60;
const HASHED_USER_FIELDS = ['email', 'phone', 'external_id'];

interface TikTokProblem {
  code: number;
  reason: string;
  message: string;
}

/** A local TikTok Events API that validates like TikTok and can be made to fail. */
export class MockTikTokEventsApi extends MockPlatform<TikTokRecordedEvent> {
  readonly accessToken: string;
  private readonly eventSourceIds: readonly string[] | undefined;
  private readonly dedup: DedupWindow;

  constructor(options: MockTikTokEventsApiOptions = {}) {
    super('TikTok Events API mock', options);
    this.accessToken = options.accessToken ?? 'tiktok-test-access-token';
    this.eventSourceIds = options.eventSourceIds;
    this.dedup = new DedupWindow(DEDUP_WINDOW_MS, this.clock);
  }

  /** The track endpoint on this mock. */
  trackUrl(): string {
    return `${this.url}/open_api/v1.3/event/track/`;
  }

  protected handle(request: RecordedRequest): PlatformResponse {
    if (request.method !== 'POST' || !TRACK_PATH.test(request.path)) {
      return this.refuse(request, { status: 404, body: 'Not Found' }, 'unknown_path', `${request.method} ${request.path}`);
    }
    const token = headerValue(request.headers, 'access-token');
    if (token !== this.accessToken) {
      return this.fail(request, { code: 40105, reason: token === undefined ? 'missing_access_token' : 'invalid_access_token', message: 'Access token is incorrect or has been revoked.' });
    }
    const parsed = parseJsonObject(request.body);
    if (!parsed.ok) return this.fail(request, invalid('malformed_body', parsed.problem));
    const problem = this.requestProblem(parsed.value);
    if (problem !== undefined) return this.fail(request, problem);
    this.record(request, parsed.value);
    return { status: 200, body: { code: 0, message: 'OK', request_id: newRequestId(), data: {} } };
  }

  protected faultResponse(fault: AnsweredFault): PlatformResponse {
    return fault.kind === 'rate_limited'
      ? { status: 429, body: { code: 40100, message: 'Too many requests. Please retry in some time.', request_id: newRequestId(), data: {} } }
      : { status: fault.status, body: { code: 50000, message: 'System error.', request_id: newRequestId(), data: {} } };
  }

  private requestProblem(body: JsonObject): TikTokProblem | undefined {
    const { event_source: source, event_source_id: sourceId, data } = body;
    if (!(TIKTOK_EVENT_SOURCES as readonly unknown[]).includes(source)) {
      return invalid('invalid_event_source', `event_source: must be one of ${TIKTOK_EVENT_SOURCES.join(', ')}, got ${JSON.stringify(source)}`);
    }
    if (typeof sourceId !== 'string' || sourceId === '') return invalid('missing_event_source_id', 'event_source_id: Missing data for required field.');
    if (this.eventSourceIds !== undefined && !this.eventSourceIds.includes(sourceId)) {
      return { code: 40001, reason: 'event_source_not_permitted', message: `No permission to operate event_source_id ${sourceId}.` };
    }
    if (!Array.isArray(data) || data.length === 0) return invalid('missing_data', 'data: Missing data for required field.');
    if (data.length > MAX_EVENTS_PER_REQUEST) return invalid('too_many_events', `data: at most ${MAX_EVENTS_PER_REQUEST} events per request, got ${data.length}.`);
    const nowSeconds = Math.floor(this.clock() / 1000);
    for (const [index, event] of data.entries()) {
      const problem = eventProblem(event, index, nowSeconds);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }

  private record(request: RecordedRequest, body: JsonObject): void {
    this.recording.accept(request);
    const eventSource = String(body.event_source);
    const eventSourceId = String(body.event_source_id);
    const testEventCode = typeof body.test_event_code === 'string' ? { testEventCode: body.test_event_code } : {};
    for (const event of body.data as TikTokRecordedEvent['event'][]) {
      const recorded: TikTokRecordedEvent = { eventSource, eventSourceId, ...testEventCode, event };
      const isRepeat = typeof event.event_id === 'string' && !this.dedup.firstSeen(`${eventSourceId}\u0000${event.event}\u0000${event.event_id}`);
      if (isRepeat) this.recording.repeat(recorded);
      else this.recording.keep(recorded);
    }
  }

  private fail(request: RecordedRequest, problem: TikTokProblem): PlatformResponse {
    const response = { status: 200, body: { code: problem.code, message: problem.message, request_id: newRequestId(), data: {} } };
    return this.refuse(request, response, problem.reason, problem.message);
  }
}

function eventProblem(event: unknown, index: number, nowSeconds: number): TikTokProblem | undefined {
  const at = `data[${index}]`;
  if (!isJsonObject(event)) return invalid('invalid_event', `${at}: must be an object.`);
  if (typeof event.event !== 'string' || event.event === '') return invalid('missing_event', `${at}.event: Missing data for required field.`);
  const time = event.event_time;
  if (time === undefined) return invalid('missing_event_time', `${at}.event_time: Missing data for required field.`);
  if (typeof time !== 'number' || !Number.isInteger(time) || time > nowSeconds + MAX_FUTURE_SECONDS) {
    return invalid('invalid_event_time', `${at}.event_time: must be a Unix timestamp in seconds, got ${JSON.stringify(time)}.`);
  }
  if (event.event_id !== undefined && typeof event.event_id !== 'string') return invalid('invalid_event_id', `${at}.event_id: Not a valid string.`);
  if (event.user !== undefined && !isJsonObject(event.user)) return invalid('invalid_user', `${at}.user: must be an object.`);
  for (const field of HASHED_USER_FIELDS) {
    const value = isJsonObject(event.user) ? event.user[field] : undefined;
    const unhashed = value === undefined ? undefined : firstUnhashed(value);
    if (unhashed !== undefined) return invalid('unhashed_user_data', `${at}.user.${field}: must be SHA-256 hashed (lower-case hex), got ${unhashed}.`);
  }
  return undefined;
}

function invalid(reason: string, message: string): TikTokProblem {
  return { code: 40002, reason, message };
}

/** An id like TikTok's request_id (a timestamp followed by random hex). */
function newRequestId(): string {
  return `${Date.now()}${randomBytes(9).toString('hex').toUpperCase()}`;
}
