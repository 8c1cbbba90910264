/**
 * What should become of each planned message at each demo destination, in the order delivery
 * decides it (docs/delivery.md): the destination's consent filter first (opt-in: only a recorded
 * grant passes), then whether the platform takes that call type at all. Pure.
 */
import type { DemoDestinationSpec } from './destinations';
import type { PlannedMessage } from './plan';

export type Fate =
  /** Delivered: the mock should have it. */
  | 'arrive'
  /** Skipped by the destination's consent filter (consent_denied, or consent_revoked after resolution). */
  | 'consent'
  /** Skipped because the platform takes no such call (event_type_not_supported). */
  | 'not_applicable';

export function fateOf(destination: Pick<DemoDestinationSpec, 'takes' | 'consentPurpose'>, message: Pick<PlannedMessage, 'type' | 'consented'>): Fate {
  if (destination.consentPurpose !== null && !message.consented) return 'consent';
  return destination.takes.includes(message.type) ? 'arrive' : 'not_applicable';
}

/** The name a platform gives a call: GA4 snake-cases track names (Order Completed → order_completed) and calls a page page_view. */
export function ga4EventName(message: Pick<PlannedMessage, 'type' | 'label' | 'body'>): string {
  if (message.type === 'page') return 'page_view';
  const event = typeof message.body.event === 'string' ? message.body.event : message.label;
  return event
    .trim()
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
}
