/**
 * GA4 Measurement Protocol naming rules (developers.google.com/analytics/devguides/collection/
 * protocol/ga4/reference, "Reserved names"; sending-events, "Limitations"; support.google.com/
 * analytics/answer/13316687 "Event naming rules"):
 *
 * - event and parameter names: at most 40 characters, letters, digits and underscores only,
 *   starting with a letter (names may use non-English letters);
 * - reserved event names below, and the prefixes google_, ga_, firebase_ for events and params;
 * - reserved parameter name firebase_conversion.
 *
 * A Segment name like "Order Completed" becomes `order_completed`; what still breaks a rule is
 * refused (GA4 would drop it silently, answering 2xx).
 */

export const GA4_MAX_NAME_CHARS = 40;

export const GA4_RESERVED_EVENT_NAMES: ReadonlySet<string> = new Set([
  'ad_activeview',
  'ad_click',
  'ad_exposure',
  'ad_impression',
  'ad_query',
  'ad_reward',
  'adunit_exposure',
  'app_background',
  'app_clear_data',
  'app_exception',
  'app_install',
  'app_remove',
  'app_store_refund',
  'app_update',
  'app_upgrade',
  'dynamic_link_app_open',
  'dynamic_link_app_update',
  'dynamic_link_first_open',
  'error',
  'firebase_campaign',
  'firebase_in_app_message_action',
  'firebase_in_app_message_dismiss',
  'firebase_in_app_message_impression',
  'first_open',
  'first_visit',
  'in_app_purchase',
  'notification_dismiss',
  'notification_foreground',
  'notification_open',
  'notification_receive',
  'os_update',
  'session_start',
  'session_start_with_rollout',
  'user_engagement',
]);

export const GA4_RESERVED_PREFIXES: readonly string[] = ['google_', 'ga_', 'firebase_'];
export const GA4_RESERVED_PARAM_NAMES: ReadonlySet<string> = new Set(['firebase_conversion']);

const NAME_SHAPE = /^\p{L}[\p{L}\p{N}_]*$/u;

/** `Order Completed` → `order_completed`: lower case, every run of other characters one underscore, none at the ends. */
export function snakeCase(text: string): string {
  return text
    .replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, '$1_$2')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '_')
    .replace(/^_+|_+$/g, '');
}

/** Why `name` breaks GA4's rules for an event (or, with `param`, a parameter) name; null when it is fine. */
export function ga4NameProblem(name: string, kind: 'event' | 'param'): string | null {
  const chars = [...name].length;
  if (chars === 0) return 'is empty';
  if (chars > GA4_MAX_NAME_CHARS) return `is ${chars} characters, GA4 allows ${GA4_MAX_NAME_CHARS}`;
  if (!NAME_SHAPE.test(name)) return 'must start with a letter and hold only letters, digits and underscores';
  const prefix = GA4_RESERVED_PREFIXES.find((p) => name.startsWith(p));
  if (prefix !== undefined) return `uses the reserved prefix ${prefix}`;
  if (kind === 'event' && GA4_RESERVED_EVENT_NAMES.has(name)) return 'is a reserved event name';
  if (kind === 'param' && GA4_RESERVED_PARAM_NAMES.has(name)) return 'is a reserved parameter name';
  return null;
}

/** Segment e-commerce spec names → GA4 recommended events, for destinations that opt in. */
export const GA4_RECOMMENDED_EVENTS: Readonly<Record<string, string>> = {
  'Order Completed': 'purchase',
  'Order Refunded': 'refund',
  'Product Viewed': 'view_item',
  'Product List Viewed': 'view_item_list',
  'Product Clicked': 'select_item',
  'Product Added': 'add_to_cart',
  'Product Removed': 'remove_from_cart',
  'Product Added to Wishlist': 'add_to_wishlist',
  'Cart Viewed': 'view_cart',
  'Checkout Started': 'begin_checkout',
  'Payment Info Entered': 'add_payment_info',
  'Promotion Viewed': 'view_promotion',
  'Promotion Clicked': 'select_promotion',
  'Products Searched': 'search',
  'Signed Up': 'sign_up',
  'Signed In': 'login',
};
