/**
 * A receiver of Standard Webhooks (standard-webhooks.ts) on any path, for testing a webhook sender.
 *
 *   POST <any path>   webhook-id, webhook-timestamp, webhook-signature, body (JSON or anything)
 *     → 204 when the signature verifies (also for a webhook-id seen before: the receiver is
 *       idempotent, so the sender stops retrying, and the record counts it as a duplicate)
 *     → 401 { "error": <reason> } when it does not
 */
import type { AnsweredFault } from './faults';
import { MockPlatform } from './mock-platform';
import type { MockPlatformOptions } from './mock-platform';
import type { PlatformResponse } from './mock-server';
import type { RecordedRequest } from './recording';
import { headerValue } from './request-body';
import { STANDARD_WEBHOOK_TOLERANCE_SECONDS, verifyStandardWebhook } from './standard-webhooks';

/** Options of MockWebhookReceiver. */
export interface MockWebhookReceiverOptions extends MockPlatformOptions {
  /** The endpoint's signing secret, `whsec_<base64>`. */
  secret: string;
  /** Allowed distance between webhook-timestamp and now (default 300 s, the spec's). */
  toleranceSeconds?: number;
}

/** One verified delivery. */
export interface ReceivedWebhook {
  id: string;
  timestamp: number;
  path: string;
  /** The body parsed as JSON, or the raw text when it is not JSON. */
  payload: unknown;
}

/** A local webhook endpoint that checks Standard Webhooks signatures. */
export class MockWebhookReceiver extends MockPlatform<ReceivedWebhook> {
  private readonly secret: string;
  private readonly toleranceSeconds: number;
  private readonly seenIds = new Set<string>();

  constructor(options: MockWebhookReceiverOptions) {
    super('Webhook receiver mock', options);
    this.secret = options.secret;
    this.toleranceSeconds = options.toleranceSeconds ?? STANDARD_WEBHOOK_TOLERANCE_SECONDS;
  }

  protected handle(request: RecordedRequest): PlatformResponse {
    if (request.method !== 'POST') return this.refuse(request, { status: 405, body: { error: 'method_not_allowed' } }, 'method_not_allowed', request.method);
    const headers = {
      id: headerValue(request.headers, 'webhook-id'),
      timestamp: headerValue(request.headers, 'webhook-timestamp'),
      signature: headerValue(request.headers, 'webhook-signature'),
    };
    const failure = verifyStandardWebhook(this.secret, headers, request.body, Math.floor(this.clock() / 1000), this.toleranceSeconds);
    if (failure !== undefined) return this.refuse(request, { status: 401, body: { error: failure } }, failure, `webhook ${headers.id ?? '(no id)'}: ${failure}`);
    const id = headers.id ?? '';
    const received: ReceivedWebhook = { id, timestamp: Number(headers.timestamp), path: request.path, payload: parseIfJson(request.body) };
    this.recording.accept(request);
    if (this.seenIds.has(id)) this.recording.repeat(received);
    else {
      this.seenIds.add(id);
      this.recording.keep(received);
    }
    return { status: 204 };
  }

  protected faultResponse(fault: AnsweredFault): PlatformResponse {
    return { status: fault.kind === 'rate_limited' ? 429 : fault.status, body: { error: fault.kind } };
  }
}

function parseIfJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}
