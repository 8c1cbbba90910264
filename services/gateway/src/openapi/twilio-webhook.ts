/** The OpenAPI operation of POST /v1/webhooks/twilio/{tenantId} and the form it takes. */
import { TWILIO_WEBHOOK_MAX_BODY_BYTES } from '../http/twilio-webhook-handler';
import type { JsonSchema, OperationObject } from './types';

const param = (description: string): JsonSchema => ({ type: 'string', description });

/** The parameters the gateway reads; Twilio sends more, and all of them are covered by the signature. */
export const twilioWebhookForm: JsonSchema = {
  type: 'object',
  description: 'A Twilio Messaging webhook as Twilio sends it: a status callback (has MessageStatus) or an incoming message (has Body, no MessageStatus).',
  properties: {
    AccountSid: param('The Twilio account; selects the tenant destination whose auth token verifies the signature.'),
    MessageSid: param('The message (status callbacks: the one sent; incoming: the one received).'),
    MessageStatus: param('Status callbacks: queued, sending, sent, delivered, undelivered, failed, read, ... Out-of-order callbacks never move a message backwards.'),
    ErrorCode: { type: 'string', pattern: '^\\d{1,9}$', description: 'Status callbacks: the Twilio error code of failed or undelivered, kept with the state.' },
    From: param('Incoming messages: the sender, E.164.'),
    To: param('The recipient.'),
    Body: param('Incoming messages: the text. STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, OPTOUT, REVOKE opt the sender out; START, UNSTOP, YES opt back in.'),
    OptOutType: { type: 'string', enum: ['STOP', 'START', 'HELP'], description: "Incoming messages, with Twilio's Advanced Opt-Out: Twilio's reading of the keyword; wins over Body." },
  },
  required: ['AccountSid'],
  additionalProperties: true,
};

/** The operation; its error responses are the document's shared ones, generated from the error registry. */
export function twilioWebhookOperation(): OperationObject {
  return {
    operationId: 'twilioWebhook',
    summary: "Twilio status callbacks and incoming messages for a tenant's twilio_sms destinations",
    description: [
      "Set as the StatusCallback base URL of a twilio_sms destination (the adapter adds `stratum_key`) and as the number's or Messaging Service's incoming-message webhook.",
      "Every request must carry X-Twilio-Signature made with the auth token of one of the tenant's twilio_sms destinations whose settings.accountSid is the request's AccountSid, over GATEWAY_PUBLIC_URL + path and query (or the URL as received when that is unset).",
      'An unknown message still answers 204: Twilio would retry a failure, and no retry can make it known (counted in stratum_gateway_twilio_callbacks_total{result="unknown_message"}).',
    ].join(' '),
    tags: ['webhooks'],
    security: [{ twilioSignature: [] }],
    parameters: [
      { name: 'tenantId', in: 'path', required: true, description: 'The tenant the destinations belong to.', schema: { type: 'string', pattern: '^[a-z0-9_]{1,64}$' } },
      { name: 'stratum_key', in: 'query', description: 'Set by the twilio_sms adapter on its StatusCallback: the idempotency key of the event, for a message whose sid was never learnt.', schema: { type: 'string' } },
      { $ref: '#/components/parameters/X-Request-Id' },
    ],
    requestBody: {
      required: true,
      description: `At most ${TWILIO_WEBHOOK_MAX_BODY_BYTES} bytes.`,
      content: { 'application/x-www-form-urlencoded': { schema: { $ref: '#/components/schemas/TwilioWebhookForm' } } },
    },
    responses: {
      '200': {
        description: 'An incoming message was taken (and an opt-out keyword applied): empty TwiML, no reply.',
        headers: { 'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' } },
        content: { 'text/xml': { schema: { type: 'string', examples: ['<?xml version="1.0" encoding="UTF-8"?><Response/>'] } } },
      },
      '204': { description: "A status callback was applied to the message's state (or its message is unknown).", headers: { 'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' } } },
      '400': { $ref: '#/components/responses/BadRequest' },
      '403': { $ref: '#/components/responses/Forbidden' },
      '404': { $ref: '#/components/responses/NotFound' },
      '413': { $ref: '#/components/responses/ContentTooLarge' },
      '415': { $ref: '#/components/responses/UnsupportedMediaType' },
      '500': { $ref: '#/components/responses/InternalError' },
      '503': { $ref: '#/components/responses/ServiceUnavailable' },
    },
  };
}
