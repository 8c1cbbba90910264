/**
 * Mock of Twilio Programmable Messaging.
 *
 *   POST /2010-04-01/Accounts/{AccountSid}/Messages.json   HTTP Basic AccountSid:AuthToken,
 *        form: To, From | MessagingServiceSid, Body | MediaUrl | ContentSid, StatusCallback?
 *     → 201 Message resource (status queued, or accepted via a Messaging Service)
 *     → 4xx { code, message, more_info, status } (twilio-errors.ts)
 *   GET  /2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json → the Message resource
 *
 * Status callbacks are sent when a test calls `advance(sid, outcome)` (or at once, when the mock
 * was made with `autoStatus`), signed exactly as Twilio signs them. Recipients on the STOP list
 * (`optOut`, or an incoming "STOP" through `sendInbound`) get 21610. Twilio has no idempotency
 * key for creating messages, so the mock deduplicates nothing.
 */
import { setImmediate } from 'node:timers/promises';
import type { AnsweredFault } from './faults';
import { MockPlatform } from './mock-platform';
import type { MockPlatformOptions } from './mock-platform';
import type { PlatformResponse } from './mock-server';
import type { RecordedRequest } from './recording';
import { firstValues, headerValue, parseForm } from './request-body';
import { twilioErrorBody } from './twilio-errors';
import type { TwilioProblem } from './twilio-errors';
import { messageResource, newTwilioSid } from './twilio-message-resource';
import type { TwilioMessage } from './twilio-message-resource';
import { twilioMessageProblem } from './twilio-message-rules';
import { postSignedWebhook, statusesTowards } from './twilio-webhooks';
import type { TwilioOutcome, TwilioWebhookDelivery } from './twilio-webhooks';

/** Options of MockTwilioMessaging. */
export interface MockTwilioMessagingOptions extends MockPlatformOptions {
  /** Default `AC0123456789abcdef0123456789abcdef`. */
  accountSid?: string;
  /** The Basic-auth password, and the key of every X-Twilio-Signature (default `twilio-test-auth-token`). */
  authToken?: string;
  /** Drive every new message with a StatusCallback to this outcome at once, without waiting for `advance`. */
  autoStatus?: TwilioOutcome;
}

/** Keywords that opt a sender out of (STOP…) or back into (START…) messages, as Twilio's default opt-out handling treats them. */
const STOP_KEYWORDS = ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT'];
const START_KEYWORDS = ['START', 'YES', 'UNSTOP'];
/** Error codes Twilio reports for the unhappy outcomes unless a test picks one: unreachable handset, unknown error. */
const DEFAULT_ERROR_CODES: Record<TwilioOutcome, number | null> = { delivered: null, undelivered: 30003, failed: 30008 };
const CREATE_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/;
const FETCH_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\/([^/]+)\.json$/;

/** A local Twilio Messaging API with a STOP list and signed status callbacks. */
export class MockTwilioMessaging extends MockPlatform<TwilioMessage> {
  readonly accountSid: string;
  readonly authToken: string;
  private readonly autoStatus: TwilioOutcome | undefined;
  private readonly messages = new Map<string, TwilioMessage>();
  private readonly optedOut = new Set<string>();
  private readonly sent: TwilioWebhookDelivery[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();
  private aborter = new AbortController();

  constructor(options: MockTwilioMessagingOptions = {}) {
    super('Twilio Messaging mock', options);
    this.accountSid = options.accountSid ?? 'AC0123456789abcdef0123456789abcdef';
    this.authToken = options.authToken ?? 'twilio-test-auth-token';
    this.autoStatus = options.autoStatus;
  }

  /** The create-message endpoint of this mock's account. */
  messagesUrl(): string {
    return `${this.url}/2010-04-01/Accounts/${this.accountSid}/Messages.json`;
  }

  /** Every status callback and incoming-message webhook sent so far, with the receiver's answer. */
  get webhooks(): readonly TwilioWebhookDelivery[] {
    return this.sent;
  }

  /** The mock's current state of a message. */
  message(sid: string): TwilioMessage | undefined {
    return this.messages.get(sid);
  }

  /** Puts a number on the STOP list: sending to it answers 21610. */
  optOut(phoneNumber: string): void {
    this.optedOut.add(phoneNumber);
  }

  /** Takes a number off the STOP list. */
  optIn(phoneNumber: string): void {
    this.optedOut.delete(phoneNumber);
  }

  /** True when sending to the number would answer 21610. */
  isOptedOut(phoneNumber: string): boolean {
    return this.optedOut.has(phoneNumber);
  }

  /**
   * Moves a message to `outcome`, POSTing one signed status callback per step (sent → delivered,
   * sent → undelivered, or failed) to its StatusCallback. Resolves with those deliveries.
   */
  async advance(sid: string, outcome: TwilioOutcome = 'delivered', errorCode = DEFAULT_ERROR_CODES[outcome]): Promise<TwilioWebhookDelivery[]> {
    const message = this.messages.get(sid);
    if (message === undefined) throw new RangeError(`Twilio mock has no message ${sid}`);
    const deliveries: TwilioWebhookDelivery[] = [];
    for (const status of statusesTowards(outcome)) {
      message.status = status;
      message.updatedAt = this.clock();
      message.errorCode = status === 'sent' ? null : errorCode;
      if (message.statusCallback !== null) deliveries.push(await this.send(message.statusCallback, statusCallbackParams(message)));
    }
    return deliveries;
  }

  /**
   * Delivers an incoming SMS to your webhook as Twilio would (signed form POST). A STOP keyword puts
   * `from` on the STOP list and a START keyword takes it off, as Twilio's default opt-out handling does.
   */
  async sendInbound(webhookUrl: string, message: { from: string; to: string; body: string }): Promise<TwilioWebhookDelivery> {
    const keyword = message.body.trim().toUpperCase();
    if (STOP_KEYWORDS.includes(keyword)) this.optOut(message.from);
    if (START_KEYWORDS.includes(keyword)) this.optIn(message.from);
    const sid = newTwilioSid('SM');
    return this.send(webhookUrl, {
      AccountSid: this.accountSid,
      ApiVersion: '2010-04-01',
      Body: message.body,
      From: message.from,
      MessageSid: sid,
      NumMedia: '0',
      NumSegments: '1',
      SmsMessageSid: sid,
      SmsSid: sid,
      SmsStatus: 'received',
      To: message.to,
      ...(STOP_KEYWORDS.includes(keyword) ? { OptOutType: 'STOP' } : START_KEYWORDS.includes(keyword) ? { OptOutType: 'START' } : {}),
    });
  }

  protected handle(request: RecordedRequest): PlatformResponse {
    const create = CREATE_PATH.exec(request.path);
    const fetchOne = FETCH_PATH.exec(request.path);
    const accountInPath = create?.[1] ?? fetchOne?.[1];
    if (accountInPath === undefined || (create !== null && request.method !== 'POST') || (fetchOne !== null && request.method !== 'GET')) {
      return this.fail(request, { status: 404, code: 20404, reason: 'unknown_path', message: `The requested resource ${request.path} was not found` });
    }
    if (!this.authenticated(request)) {
      return this.fail(request, { status: 401, code: 20003, reason: 'authentication_failed', message: 'Authenticate' }, { 'www-authenticate': 'Basic realm="Twilio API"' });
    }
    if (accountInPath !== this.accountSid) {
      return this.fail(request, { status: 404, code: 20404, reason: 'unknown_account', message: `The requested resource ${request.path} was not found` });
    }
    if (fetchOne !== null) {
      const message = this.messages.get(fetchOne[2] ?? '');
      if (message === undefined) return this.fail(request, { status: 404, code: 20404, reason: 'unknown_message', message: `The requested resource ${request.path} was not found` });
      this.recording.accept(request);
      return { status: 200, body: messageResource(message) };
    }
    return this.create(request);
  }

  protected faultResponse(fault: AnsweredFault): PlatformResponse {
    const status = fault.kind === 'rate_limited' ? 429 : fault.status;
    const [code, message] = fault.kind === 'rate_limited' ? [20429, 'Too Many Requests'] : [20500, 'Internal Server Error'];
    return { status, body: twilioErrorBody({ status, code, message }) };
  }

  protected override async beforeStop(): Promise<void> {
    this.aborter.abort();
    await Promise.allSettled([...this.inFlight]);
    this.aborter = new AbortController(); // for a restart
  }

  private create(request: RecordedRequest): PlatformResponse {
    const fields = firstValues(parseForm(request.body));
    const problem = twilioMessageProblem(fields, (to) => this.optedOut.has(to));
    if (problem !== undefined) return this.fail(request, problem);
    const now = this.clock();
    const service = fields.MessagingServiceSid ?? null;
    const from = fields.From === undefined || fields.From === '' ? null : fields.From;
    const message: TwilioMessage = {
      sid: newTwilioSid('SM'),
      accountSid: this.accountSid,
      to: fields.To ?? '',
      from,
      messagingServiceSid: service,
      body: fields.Body ?? '',
      status: from === null ? 'accepted' : 'queued',
      errorCode: null,
      statusCallback: fields.StatusCallback ?? null,
      createdAt: now,
      updatedAt: now,
    };
    this.messages.set(message.sid, message);
    this.recording.accept(request);
    this.recording.keep(message);
    const answer = { status: 201, body: messageResource(message) };
    if (this.autoStatus !== undefined && message.statusCallback !== null) this.track(this.advanceSoon(message.sid, this.autoStatus));
    return answer;
  }

  /** After the 201 is written, as Twilio's callbacks always come after its answer. */
  private async advanceSoon(sid: string, outcome: TwilioOutcome): Promise<void> {
    await setImmediate();
    await this.advance(sid, outcome);
  }

  private async send(url: string, params: Record<string, string>): Promise<TwilioWebhookDelivery> {
    const delivery = this.track(postSignedWebhook(url, params, this.authToken, this.aborter.signal));
    const done = await delivery;
    this.sent.push(done);
    return done;
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work)).catch(() => undefined);
    return work;
  }

  private authenticated(request: RecordedRequest): boolean {
    const header = headerValue(request.headers, 'authorization') ?? '';
    if (!header.startsWith('Basic ')) return false;
    const decoded = Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8');
    return decoded === `${this.accountSid}:${this.authToken}`;
  }

  private fail(request: RecordedRequest, problem: TwilioProblem, headers: Record<string, string> = {}): PlatformResponse {
    return this.refuse(request, { status: problem.status, headers, body: twilioErrorBody(problem) }, problem.reason, problem.message);
  }
}

/** The parameters of a status callback for the message's current status. */
function statusCallbackParams(message: TwilioMessage): Record<string, string> {
  return {
    AccountSid: message.accountSid,
    ApiVersion: '2010-04-01',
    From: message.from ?? '',
    MessageSid: message.sid,
    MessageStatus: message.status,
    SmsSid: message.sid,
    SmsStatus: message.status,
    To: message.to,
    ...(message.messagingServiceSid === null ? {} : { MessagingServiceSid: message.messagingServiceSid }),
    ...(message.errorCode === null ? {} : { ErrorCode: String(message.errorCode) }),
  };
}
