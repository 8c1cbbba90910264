/**
 * Every adapter by destination type, and the settings check the destination store calls before it
 * saves a destination (so a bad pixel id fails at configuration, not at 3 a.m. in the DLQ).
 */
import { DestinationConfigError } from './errors';
import { ga4Adapter } from './ga4/ga4-adapter';
import { metaCapiAdapter } from './meta/meta-capi-adapter';
import { pipedriveAdapter } from './pipedrive/pipedrive-adapter';
import { tiktokAdapter } from './tiktok/tiktok-adapter';
import { twilioSmsAdapter } from './twilio/twilio-adapter';
import type { AdapterType, AnyAdapter } from './types';
import { webhookAdapter } from './webhook/webhook-adapter';

export const ADAPTERS: Readonly<Record<AdapterType, AnyAdapter>> = {
  webhook: webhookAdapter,
  meta_capi: metaCapiAdapter,
  ga4: ga4Adapter,
  tiktok: tiktokAdapter,
  twilio_sms: twilioSmsAdapter,
  pipedrive: pipedriveAdapter,
};

/** The adapter of a destination type, or null for a type without one. */
export function adapterFor(type: string): AnyAdapter | null {
  return Object.hasOwn(ADAPTERS, type) ? ADAPTERS[type as AdapterType] : null;
}

/**
 * The problems with a destination's settings and credentials, one line each (`path: problem`),
 * empty when its adapter accepts them. Fits the store's `StoreOptions.validateSettings`.
 */
export function destinationConfigProblems(type: string, settings: unknown, credentials: unknown): readonly string[] {
  const adapter = adapterFor(type);
  if (adapter === null) return [`type: no adapter for ${JSON.stringify(type)}`];
  try {
    adapter.parseConfig({ settings, credentials: credentials ?? {} });
    return [];
  } catch (err) {
    if (err instanceof DestinationConfigError) return err.problems.map((p) => `${p.path}: ${p.message}`);
    throw err;
  }
}
