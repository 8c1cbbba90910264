/** Platform adapters: pure mapping, batching, signing and answer classification per destination type. */
export {
  ADAPTER_TYPES,
  type AdapterType,
  type AnyAdapter,
  type BatchAdapter,
  type SequenceAdapter,
  type SequenceStep,
  type DestinationConfigInput,
  type PrepareContext,
  type BuildContext,
  type ClassifyContext,
  type PreparedEvent,
  type Skip,
  type RequestEvent,
  type HttpRequest,
  type HttpResponse,
  type HttpResult,
  type Classification,
} from './types';
export { ADAPTERS, adapterFor, destinationConfigProblems } from './registry';
export { adapterErrors, DestinationConfigError, type ConfigProblem } from './errors';
export { DELIVERY_ERROR_CODES, type DeliveryErrorCode } from './delivery-codes';
export { SKIP_REASONS, type SkipReason } from './skip-reasons';
export { classifyHttpStatus, classifyNetworkError } from './classify-http';
export { idempotencyKey } from './idempotency-key';
export { webhookAdapter, type WebhookConfig } from './webhook/webhook-adapter';
export { webhookPayload, WEBHOOK_PAYLOAD_VERSION, type WebhookPayload, type WebhookEventData, type WebhookProfile } from './webhook/webhook-payload';
export { parseWebhookSecret, signatureV1, webhookSignatureHeader, verifyWebhookSignature } from './webhook/standard-webhooks';
export { metaCapiAdapter, type MetaCapiConfig } from './meta/meta-capi-adapter';
export { META_STANDARD_EVENTS, type MetaServerEvent } from './meta/meta-event';
export { ga4Adapter, type Ga4Config } from './ga4/ga4-adapter';
export { ga4ValidationRequest, parseGa4ValidationMessages, classifyGa4Validation, type Ga4ValidationMessage } from './ga4/ga4-validation';
export { GA4_RECOMMENDED_EVENTS } from './ga4/ga4-names';
export { tiktokAdapter, type TikTokConfig } from './tiktok/tiktok-adapter';
export { twilioSmsAdapter, type TwilioSmsConfig } from './twilio/twilio-adapter';
export { twilioSignature, verifyTwilioSignature, type TwilioParams, type TwilioSignatureCheck } from './twilio/twilio-signature';
export { nextMessageState, isFinalMessageState, isMessageState, MESSAGE_STATES, type MessageState } from './twilio/message-state';
export { pipedriveAdapter, type PipedriveConfig } from './pipedrive/pipedrive-adapter';
export type { PipedriveState } from './pipedrive/pipedrive-flow';
